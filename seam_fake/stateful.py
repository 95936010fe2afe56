"""A base for Hypothesis state machines that test code calling Seam.

Subclass ``FakeSeamStateMachine`` and write rules about your own code; each
example (one run of the machine) starts with an empty fake, patched into
httpx and requests, with ``SEAM_API_KEY`` pointing at it, so ``Seam()`` in
the code under test just works::

    from hypothesis.stateful import rule
    from seam_fake.stateful import FakeSeamStateMachine

    class Onboarding(FakeSeamStateMachine):
        def setup_fake(self, fake):
            self.building = fake.add_acs_system("HQ")["acs_system_id"]

        @rule(email=sf.emails())
        def onboard(self, email):
            my_app.onboard(email)  # calls Seam() inside
            ...

    TestOnboarding = Onboarding.TestCase

Examples are cheap: one fake per machine class is ``reset()`` (microseconds)
rather than rebuilt, and ``self.seam`` is one SDK client per class, built once
(a ``Seam()`` costs tens of milliseconds for its TLS context). With
``random_seed`` set, every example draws the same ids, so a failure replays
and shrinks identically.

Needs Hypothesis and, for ``self.seam``, the ``seam`` SDK.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, ClassVar

try:
    from hypothesis.stateful import RuleBasedStateMachine
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        "seam_fake.stateful needs Hypothesis: install the extra, `pip install 'seam-fake[hypothesis]'`.",
        name=missing.name,
    ) from missing

from .env import seam_env
from .fake import FakeSeam

if TYPE_CHECKING:
    from seam.seam import Seam

__all__ = ["FakeSeamStateMachine"]


class FakeSeamStateMachine(RuleBasedStateMachine):
    """A ``RuleBasedStateMachine`` whose every example runs against a fresh, patched fake."""

    #: Seed for ids, tokens and request ids; None draws them at random.
    random_seed: ClassVar[int | None] = 0
    _shared_fake: ClassVar[FakeSeam | None] = None
    _shared_seam: ClassVar[Any] = None

    def __init__(self) -> None:
        super().__init__()
        cls = type(self)
        # Looked up on the class itself, so subclasses never share a parent's fake.
        fake = cls.__dict__.get("_shared_fake")
        if fake is None:
            fake = cls.make_fake()
            cls._shared_fake = fake
        fake.reset()
        self.fake: FakeSeam = fake
        self._exit = ExitStack()
        self._exit.enter_context(fake.patch())
        self._exit.enter_context(seam_env(fake.api_key))
        try:
            self.setup_fake(fake)
        except BaseException:
            self._exit.close()
            raise

    @classmethod
    def make_fake(cls) -> FakeSeam:
        """The fake this machine's examples share; override to choose an endpoint."""
        return FakeSeam(random_seed=cls.random_seed)

    def setup_fake(self, fake: FakeSeam) -> None:
        """Seed the empty fake at the start of each example (ACS systems, users...)."""

    @property
    def seam(self) -> Seam:
        """An SDK client for the fake, built once per machine class."""
        cls = type(self)
        client = cls.__dict__.get("_shared_seam")
        if client is None:
            from seam.seam import Seam

            client = Seam(api_key=self.fake.api_key, endpoint=self.fake.endpoint)
            cls._shared_seam = client
        result: Seam = client
        return result

    def teardown(self) -> None:
        self._exit.close()
