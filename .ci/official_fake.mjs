// Seam's official fake (@seamapi/fake-seam-connect), seeded, serving on PORT on 127.0.0.1
// (with loopback.cjs preloaded): the other side of the differential tests.
import { createFake } from "@seamapi/fake-seam-connect"

const fake = await createFake()
await fake.seed()
await fake.startServer({ port: Number(process.env.PORT) })
console.log(`official fake on http://127.0.0.1:${process.env.PORT}`)
