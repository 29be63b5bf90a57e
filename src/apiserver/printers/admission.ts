// admissionregistration.k8s.io printers: webhook configurations (printMutatingWebhook,
// printValidatingWebhook), ValidatingAdmissionPolicies and their bindings.
import { type Printer, ageColumn, column, nameColumn } from './types.ts'
import { translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)

export const webhookConfigurationPrinter: Printer = {
  columns: [nameColumn, column('Webhooks', 'Webhooks indicates the number of webhooks registered in this configuration', { type: 'integer' }), ageColumn],
  row: (obj, now) => [name(obj), (obj.webhooks ?? []).length, age(obj, now)]
}

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    nameColumn,
    column('Validations', 'Validations indicates the number of validation rules defined in this configuration', { type: 'integer' }),
    column('ParamKind', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    ageColumn
  ],
  row: (obj, now) => {
    const pk = obj.spec?.paramKind
    return [name(obj), (obj.spec?.validations ?? []).length, pk == null ? '<unset>' : `${pk.apiVersion ?? ''}/${pk.kind ?? ''}`, age(obj, now)]
  }
}

/**
 * metav1.LabelSelector's String(), the gogo-protobuf generated one: labels sorted by key,
 * `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
export function labelSelectorString (sel: any): string {
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map(k => `${k}: ${sel.matchLabels[k]},`).join('')
  const exprs = (sel.matchExpressions ?? []).map((e: any) =>
    `LabelSelectorRequirement{Key:${e.key ?? ''},Operator:${e.operator ?? ''},Values:[${(e.values ?? []).join(' ')}],},`).join('')
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`
}

export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn,
    column('PolicyName', 'PolicyName indicates the policy definition which the policy binding binded to'),
    column('ParamRef', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn
  ],
  // A paramRef without a namespace may name a cluster-scoped param: upstream prints `*/name`.
  row: (obj, now) => {
    const pr = obj.spec?.paramRef
    let param = '<unset>'
    if (pr != null) {
      if ((pr.name ?? '') !== '') param = (pr.namespace ?? '') !== '' ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`
      else if (pr.selector != null) param = labelSelectorString(pr.selector)
    }
    return [name(obj), obj.spec?.policyName ?? '', param, age(obj, now)]
  }
}
