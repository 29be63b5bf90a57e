// Smaller core/v1 printers: namespaces, configmaps, secrets, serviceaccounts, resourcequotas,
// replicationcontrollers, podtemplates, componentstatuses. (limitranges have no printer
// upstream: they get the default Name / Created At table.)
import { CONTAINERS_DOC, IMAGES_DOC, type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { formatLabels, layoutContainerCells, quantityOrZero, templateContainers } from './format.ts'
import { translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)
const count = (value: unknown): number => (value === undefined || value === null ? 0 : Object.keys(value).length)

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
  // Phase defaults to Active (v1 SetDefaults_NamespaceStatus).
  row: (obj, now) => [name(obj), obj.status?.phase || 'Active', age(obj, now)]
}

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'Data contains the configuration data.'), ageColumn],
  row: (obj, now) => [name(obj), count(obj.data) + count(obj.binaryData), age(obj, now)]
}

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'Data contains the secret data.'),
    ageColumn
  ],
  // Type defaults to Opaque (v1 SetDefaults_Secret).
  row: (obj, now) => [name(obj), obj.type || 'Opaque', count(obj.data), age(obj, now)]
}

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  row: (obj, now) => [name(obj), (obj.secrets ?? []).length, age(obj, now)]
}

/** printResourceQuota: `res: used/hard` sorted by name; `limits.*` go to the Limit column. */
function printResourceQuota (obj: any, now: number): unknown[] {
  const hard: Record<string, unknown> = obj.status?.hard ?? {}
  const used: Record<string, unknown> = obj.status?.used ?? {}
  const requests: string[] = []
  const limits: string[] = []
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split('.')
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limits : requests
    target.push(`${resource}: ${quantityOrZero(used[resource])}/${quantityOrZero(hard[resource])}`)
  }
  return [name(obj), requests.join(', '), limits.join(', '), age(obj, now)]
}

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    column('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn
  ],
  row: printResourceQuota
}

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC),
    wide('Selector', 'Selector is a label query over pods that should match the Replicas count.')
  ],
  row: (obj, now) => [
    name(obj), obj.spec?.replicas ?? 1, obj.status?.replicas ?? 0, obj.status?.readyReplicas ?? 0, age(obj, now),
    ...layoutContainerCells(templateContainers(obj.spec?.template)), formatLabels(obj.spec?.selector)
  ]
}

export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn,
    column('Containers', CONTAINERS_DOC),
    column('Images', IMAGES_DOC),
    column('Pod Labels', 'The labels for the pod template.')
  ],
  row: obj => [name(obj), ...layoutContainerCells(templateContainers(obj.template)), formatLabels(obj.template?.metadata?.labels)]
}

function printComponentStatus (obj: any): unknown[] {
  let status = 'Unknown'
  let message = ''
  let error = ''
  const healthy = (obj.conditions ?? []).find((c: any) => c.type === 'Healthy')
  if (healthy !== undefined) {
    status = healthy.status === 'True' ? 'Healthy' : 'Unhealthy'
    message = healthy.message ?? ''
    error = healthy.error ?? ''
  }
  return [name(obj), status, message, error]
}

export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'Status of the component conditions'),
    column('Message', 'Message of the component conditions'),
    column('Error', 'Error of the component conditions')
  ],
  row: printComponentStatus
}
