// The official JavaScript SDK (npm package `seam`) against `seam-fake serve`: creates, gets,
// lists and fails a user identity, uses a client session token the way the mobile
// side of an app does, and gives access to a door and unlocks it (the SDK waits for the
// action attempt). Exits non-zero on the first result or error code that differs.
//
//   SEAM_ENDPOINT=http://127.0.0.1:<port> SEAM_API_KEY=<key> node js_sdk_check.mjs
import {
  Seam,
  isSeamHttpApiError,
  isSeamHttpInvalidInputError,
  isSeamHttpUnauthorizedError,
} from 'seam'

const endpoint = process.env.SEAM_ENDPOINT
const apiKey = process.env.SEAM_API_KEY
let checks = 0

function check(condition, what) {
  if (!condition) {
    console.error(`FAILED: ${what}`)
    process.exit(1)
  }
  checks += 1
}

async function refused(call) {
  try {
    await call()
  } catch (error) {
    return error
  }
  return null
}

const seam = new Seam({ apiKey, endpoint })

const created = await seam.userIdentities.create({
  user_identity_key: 'js_sdk',
  email_address: 'js.sdk@example.com',
  full_name: 'JS SDK',
})
check(created.user_identity_key === 'js_sdk', 'create returns the identity')
check(created.display_name === 'JS SDK', 'display_name is the full name')

const fetched = await seam.userIdentities.get({ user_identity_key: 'js_sdk' })
check(fetched.user_identity_id === created.user_identity_id, 'get finds the created identity')

const listed = await seam.userIdentities.list()
check(listed.some((identity) => identity.user_identity_id === created.user_identity_id), 'list shows it')

const duplicate = await refused(() => seam.userIdentities.create({ user_identity_key: 'js_sdk' }))
check(isSeamHttpApiError(duplicate), 'a duplicate key is an API error')
check(duplicate.code === 'user_identity_key_already_in_use', `duplicate code (${duplicate?.code})`)
check(duplicate.statusCode === 400, 'duplicate status')

const invalid = await refused(() => seam.userIdentities.create({ email_address: 'not-an-email' }))
check(isSeamHttpInvalidInputError(invalid), 'a bad email is invalid input')
check(invalid.getValidationErrorMessages('email_address').length > 0, 'the email is named')

const missing = await refused(() =>
  seam.userIdentities.get({ user_identity_id: '00000000-0000-4000-8000-000000000000' }),
)
check(missing?.code === 'user_identity_not_found' && missing.statusCode === 404, 'unknown id is 404')

// The mobile app's side: a client session token, sent with the SDK's own option.
const session = await seam.clientSessions.create({ user_identity_id: created.user_identity_id })
check(session.token.startsWith('seam_cst'), 'client session token')
const app = Seam.fromClientSessionToken(session.token, { endpoint })
const seen = await app.userIdentities.list()
check(seen.length === 1 && seen[0].user_identity_id === created.user_identity_id, 'a session sees its identity')
const own = await app.clientSessions.get()
check(own.client_session_id === session.client_session_id, 'a token reads its own session')
const denied = await refused(() => app.userIdentities.create({ full_name: 'Not allowed' }))
check(isSeamHttpUnauthorizedError(denied), 'a route closed to client sessions refuses the token')

await seam.clientSessions.revoke({ client_session_id: session.client_session_id })
check(isSeamHttpUnauthorizedError(await refused(() => app.userIdentities.list())), 'a revoked token fails')

// Who can open which door: a door and a group seeded over /_fake/, then the SDK's own calls.
async function seed(control, body) {
  const response = await fetch(`${endpoint}/_fake/${control}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  check(response.ok, `/_fake/${control} answers 200 (${response.status})`)
  return await response.json()
}
const site = (await seed('add_acs_system', { name: 'Harbour Office', external_type: 'salto_ks_site' }))
  .acs_system.acs_system_id
const lobby = (await seed('add_acs_entrance', { acs_system_id: site, display_name: 'Lobby' })).acs_entrance
const group = (await seed('add_acs_access_group', { acs_system_id: site, name: 'All', acs_entrance_ids: [lobby.acs_entrance_id] }))
  .acs_access_group
await seam.acs.accessGroups.addUser({ acs_access_group_id: group.acs_access_group_id, user_identity_id: created.user_identity_id })
const doors = await seam.userIdentities.listAccessibleEntrances({ user_identity_id: created.user_identity_id })
check(doors.length === 1 && doors[0].acs_entrance_id === lobby.acs_entrance_id, 'the identity can open the lobby')
const key = await seam.acs.credentials.create({
  user_identity_id: created.user_identity_id,
  acs_system_id: site,
  access_method: 'cloud_key',
})
const unlocked = await seam.acs.entrances.unlock({ acs_entrance_id: lobby.acs_entrance_id, acs_credential_id: key.acs_credential_id })
check(unlocked.status === 'success' && unlocked.action_type === 'UNLOCK_DOOR', `the unlock succeeded (${unlocked.status})`)
const grant = await refused(() =>
  seam.acs.entrances.grantAccess({ acs_entrance_id: lobby.acs_entrance_id, user_identity_id: created.user_identity_id }),
)
check(grant?.code === 'not_supported' && grant.statusCode === 400, 'grant_access on a group-based system is not_supported')

console.log(`JavaScript SDK against seam-fake: ${checks} checks passed`)
