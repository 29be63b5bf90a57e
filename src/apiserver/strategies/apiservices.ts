// APIServices (kube-aggregator's registry, pkg/apis/apiregistration/validation): names are path
// segments that must read `<version>.<group>` (`v1.` for the core group), groups DNS subdomains,
// versions DNS labels, upstream's priority ranges, a service reference complete with a valid
// port, TLS settings that agree; status through /status. The spec is checked on create and on an
// update that changes it (a status write to an object stored before never fails on its spec).
import type { Strategy } from './strategy.ts'
import { invalid, required, type FieldError } from '../../api/field-errors.ts'
import { statusCauses } from '../validate-meta.ts'
import { jsonEqual } from '../../api/object.ts'

type Json = Record<string, any>

export function validateApiService (obj: Json): FieldError[] {
  const errs: FieldError[] = []
  const spec = obj.spec ?? {}
  const group: string = spec.group ?? ''
  const version: string = spec.version ?? ''
  const wanted = `${version}.${group}`
  if (obj.metadata?.name !== wanted) errs.push(invalid('metadata.name', obj.metadata?.name, `must be \`spec.version+"."+spec.group\`: "${wanted}"`))
  if (group === '' && version !== 'v1') errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'))
  if (group !== '' && !DNS_SUBDOMAIN.test(group)) errs.push(invalid('spec.group', group, 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character'))
  if (version === '') errs.push(required('spec.version'))
  else if (!DNS_LABEL.test(version)) errs.push(invalid('spec.version', version, 'a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character'))
  const g = spec.groupPriorityMinimum ?? 0
  if (g <= 0 || g > 20000) errs.push(invalid('spec.groupPriorityMinimum', g, 'must be positive and less than 20000'))
  const v = spec.versionPriority ?? 0
  if (v <= 0 || v > 1000) errs.push(invalid('spec.versionPriority', v, 'must be positive and less than 1000'))
  const svc = spec.service
  if (svc == null) {
    if (spec.caBundle != null && spec.caBundle !== '') errs.push(invalid('spec.caBundle', `${Buffer.from(String(spec.caBundle), 'base64').length} bytes`, 'local APIServices may not have a caBundle'))
    if (spec.insecureSkipTLSVerify === true) errs.push(invalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'))
  } else {
    if (svc.namespace === undefined || svc.namespace === '') errs.push(required('spec.service.namespace'))
    if (svc.name === undefined || svc.name === '') errs.push(required('spec.service.name'))
    if (svc.port !== undefined && (svc.port < 1 || svc.port > 65535)) errs.push(invalid('spec.service.port', svc.port, 'must be between 1 and 65535, inclusive'))
    if (spec.insecureSkipTLSVerify === true && spec.caBundle != null && spec.caBundle !== '') errs.push(invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'))
  }
  return errs
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/

export const apiServiceStrategy: Strategy = {
  generation: false,
  status: true,
  nameIsPathSegment: true,
  validateCreate: obj => statusCauses(validateApiService(obj as Json)),
  validateUpdate: (obj, old) => jsonEqual(obj.spec, old.spec) ? [] : statusCauses(validateApiService(obj as Json)),
}
