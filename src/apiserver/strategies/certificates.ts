// CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): a new request
// records who asked (username, uid, groups, extra) and starts with no status; its spec never
// changes after; /approval writes the conditions, /status the certificate.
import type { Strategy } from './strategy.ts'
import { validateCsrSpec, validateCsrStatus } from '../../api/certificates.ts'
import { statusCauses } from '../validate-meta.ts'

type Json = Record<string, any>

export const certificateSigningRequestStrategy: Strategy = {
  generation: false,
  status: true,
  prepareForCreate: (obj, ctx) => {
    const spec: Json = { ...(obj.spec as Json ?? {}) }
    for (const k of ['username', 'uid', 'groups', 'extra']) delete spec[k]
    const user = ctx.user
    if (user !== undefined) {
      spec.username = user.name
      if (user.uid !== undefined && user.uid !== '') spec.uid = user.uid
      if (user.groups.length > 0) spec.groups = [...user.groups]
      if (user.extra !== undefined && Object.keys(user.extra).length > 0) spec.extra = user.extra
    }
    obj.spec = spec
    obj.status = {}
  },
  prepareForUpdate: (obj, old) => { obj.spec = old.spec },
  statusParts: {
    // certificatesigningrequests/approval changes only status.conditions (csrApprovalStrategy).
    approval: (body, stored) => {
      const status: Json = { ...(stored ?? {}), conditions: body?.conditions }
      if (status.conditions === undefined) delete status.conditions
      return status
    },
  },
  validateCreate: obj => statusCauses(validateCsrSpec((obj as Json).spec)),
  validateUpdate: (obj, old) => statusCauses(validateCsrStatus((obj as Json).status, (old as Json).status)),
}
