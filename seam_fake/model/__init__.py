"""The model: the state of a fake and Seam's rules over it, with no HTTP, no JSON and no lock.

``world`` holds everything; ``records`` the records and their indexes;
``identities`` and ``acs`` the rules; ``derive`` what state implies;
``errors`` the catalogue of the errors the rules raise; ``snapshots`` saving
and loading.
"""
