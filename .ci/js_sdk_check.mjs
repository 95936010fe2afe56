// The official JavaScript SDK (npm package `seam`) against `seam-fake serve`: creates, gets,
// lists and fails a user identity, and uses a client session token the way the mobile
// side of an app does. Exits non-zero on the first result or error code that differs.
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

console.log(`JavaScript SDK against seam-fake: ${checks} checks passed`)
