// kube-controller-manager's csrsigning controller (pkg/controller/certificates/signer, v1.32),
// keyed by CSR name: an Approved request for one of the kubernetes.io signers this cluster has a
// CA for gets its certificate in status.certificate; a request whose usages its signer does not
// allow gets the Failed condition (SignerValidationFailure) instead. Denied, Failed and issued
// requests, and other signers' (a user's own signer), are left alone.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import type { ControllerDefinition } from '../types.ts'

type Json = Record<string, any>

export interface CsrSigner {
  /** Whether this cluster signs for `signerName`. */
  signs(signerName: string): boolean
  /** The PEM certificate for a request (PEM), as the signer issues it. */
  sign(signerName: string, request: { request: string, usages: string[], expirationSeconds?: number }): Promise<string>
}

/** What each built-in signer permits (signer.go's usage checks). */
const ALLOWED: Record<string, { allowed: string[], required?: string, kind: string }> = {
  'kubernetes.io/kube-apiserver-client': { allowed: ['digital signature', 'key encipherment', 'client auth'], required: 'client auth', kind: 'client' },
  'kubernetes.io/kube-apiserver-client-kubelet': { allowed: ['digital signature', 'key encipherment', 'client auth'], required: 'client auth', kind: 'client' },
  'kubernetes.io/kubelet-serving': { allowed: ['digital signature', 'key encipherment', 'server auth'], required: 'server auth', kind: 'serving' },
}

const has = (csr: Json, type: string): boolean => ((csr.status?.conditions ?? []) as Json[]).some(c => c.type === type && c.status === 'True')

export function csrSigningController (signer: CsrSigner): ControllerDefinition {
  return {
    name: 'csrsigning',
    informers: { csrs: { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest' } },
    events: [{ informer: 'csrs', on: ['add', 'update'], keys: ({ obj }) => [obj.metadata.name!] }],
    async sync (name, ctx) {
      const csr = ctx.lister('csrs').get(name) as (KubeObject & Json) | undefined
      if (csr === undefined) return
      const signerName: string = csr.spec?.signerName ?? ''
      if (!has(csr, 'Approved') || has(csr, 'Denied') || has(csr, 'Failed')) return
      if ((csr.status?.certificate ?? '') !== '' || !signer.signs(signerName)) return
      const usages: string[] = csr.spec?.usages ?? []
      const rules = ALLOWED[signerName]
      const wrong = rules === undefined ? undefined : usages.find(u => !rules.allowed.includes(u))
      const missing = rules?.required !== undefined && !usages.includes(rules.required)
      const fail = async (message: string): Promise<void> => {
        const now = rfc3339(ctx.clock.now())
        const conditions = [...(csr.status?.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message, lastUpdateTime: now, lastTransitionTime: now }]
        await ctx.client.update({ ...csr, status: { ...csr.status, conditions } } as KubeObject, { subresource: 'status' })
      }
      if (rules !== undefined && (wrong !== undefined || missing)) {
        await fail(wrong !== undefined ? `invalid usage for ${rules.kind} certificate: ${wrong}` : `missing required usage for ${rules.kind} certificate: ${rules.required!}`)
        return
      }
      const request = Buffer.from(csr.spec.request, 'base64').toString('utf8')
      let pem: string
      try {
        pem = await signer.sign(signerName, { request, usages, expirationSeconds: csr.spec.expirationSeconds })
      } catch (err) {
        // A request that passed the PEM check but is no CertificationRequest: failed, not retried forever.
        await fail(`unable to parse csr "${name}": ${err instanceof Error ? err.message : String(err)}`)
        return
      }
      await ctx.client.update({ ...csr, status: { ...csr.status, certificate: Buffer.from(pem).toString('base64') } } as KubeObject, { subresource: 'status' })
    },
  }
}
