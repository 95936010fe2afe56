// Create and get a user identity with the official JavaScript SDK (npm package `seam`)
// against `seam-fake serve`. Run it from a directory where `npm install seam` was run:
//
//   seam-fake serve --demo --port 8080 --api-key seam_demo_key    # in one terminal
//   SEAM_ENDPOINT=http://127.0.0.1:8080 SEAM_API_KEY=seam_demo_key node node-sdk.mjs
import { Seam } from 'seam'

const endpoint = process.env.SEAM_ENDPOINT ?? 'http://127.0.0.1:8080'
const apiKey = process.env.SEAM_API_KEY ?? 'seam_demo_key'

const seam = new Seam({ apiKey, endpoint })

const created = await seam.userIdentities.create({
  user_identity_key: 'node_example',
  email_address: 'node.example@example.com',
  full_name: 'Node Example',
})
const fetched = await seam.userIdentities.get({ user_identity_key: 'node_example' })

console.log('created:', created.user_identity_key, created.display_name)
console.log('fetched the same identity:', fetched.user_identity_id === created.user_identity_id)

// A second create with the same key is refused as Seam refuses it.
try {
  await seam.userIdentities.create({ user_identity_key: 'node_example' })
} catch (error) {
  console.log('second create:', error.name, error.code, error.statusCode)
}

// The demo workspace's identities, newest first.
const identities = await seam.userIdentities.list()
console.log('identities:', identities.map((identity) => identity.user_identity_key).join(', '))
