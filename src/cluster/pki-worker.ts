// Worker thread entry: generate the PKI and post it back (certificates.ts starts it). A worker
// keeps @peculiar/x509's ~200 modules off the main thread, where they would delay start by
// ~100 ms and stay in the heap (~4 MB) for the life of the cluster.
import { parentPort, workerData } from 'node:worker_threads'
import { generatePki } from './pki-generate.ts'

parentPort!.postMessage(await generatePki((workerData as { now: number }).now))
