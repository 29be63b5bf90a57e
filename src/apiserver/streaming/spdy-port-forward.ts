// Placeholder: SPDY port-forward is not served yet.
import type { PortForwardRequest } from './port-forward.ts'

export const TUNNELING_PROTOCOL = 'SPDY/3.1+portforward.k8s.io'

export function serveSpdyPortForward (pf: PortForwardRequest): void {
  pf.res.status(400).type('text/plain').send('k3sim does not serve port-forward over SPDY/3.1 yet')
}
