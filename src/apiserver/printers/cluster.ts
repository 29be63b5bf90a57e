// Cluster plumbing printers: coordination leases, scheduling priorityclasses, node runtimeclasses,
// flowcontrol flowschemas and priority levels, certificates CSRs, and apiregistration apiservices
// (kube-aggregator's own table convertor). Admission registration's are in admission.ts.
import { type Printer, ageColumn, column, nameColumn } from './types.ts'
import { humanDuration, translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
  row: (obj, now) => [name(obj), obj.spec?.holderIdentity ?? '', age(obj, now)]
}

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Value', 'value represents the integer value of this priority class.', { type: 'integer' }),
    column('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', { type: 'boolean' }),
    ageColumn,
    column('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.')
  ],
  // PreemptionPolicy is printed as a priority-0 column here, as upstream does; defaults to PreemptLowerPriority.
  row: (obj, now) => [name(obj), obj.value ?? 0, obj.globalDefault ?? false, age(obj, now), obj.preemptionPolicy ?? 'PreemptLowerPriority']
}

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn, column('Handler', 'handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.'), ageColumn],
  row: (obj, now) => [name(obj), obj.handler ?? '', age(obj, now)]
}

export const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn,
    column('PriorityLevel', '`name` is the name of the priority level configuration being referenced'),
    column('MatchingPrecedence', 'matchingPrecedence is used to choose among the FlowSchemas that match a given request.'),
    column('DistinguisherMethod', 'distinguisherMethod defines how to compute the flow distinguisher for requests that match this schema.'),
    ageColumn,
    column('MissingPL', 'references a broken or non-existent PriorityLevelConfiguration')
  ],
  // matchingPrecedence defaults to 1000 (v1 defaulting).
  row: (obj, now) => {
    const dangling = (obj.status?.conditions ?? []).find((c: any) => c.type === 'Dangling')
    return [
      name(obj), obj.spec?.priorityLevelConfiguration?.name ?? '', obj.spec?.matchingPrecedence ?? 1000,
      obj.spec?.distinguisherMethod?.type ?? '<none>', age(obj, now), dangling?.status ?? '?'
    ]
  },
  // printFlowSchemaList sorts by matching precedence, then name.
  compare: (a, b) => {
    const pa = a.spec?.matchingPrecedence ?? 1000
    const pb = b.spec?.matchingPrecedence ?? 1000
    if (pa !== pb) return pa - pb
    return name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0
  }
}

export const priorityLevelPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', '`type` indicates whether this priority level is subject to limitation on request execution.'),
    column('NominalConcurrencyShares', '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.'),
    column('Queues', '`queues` is the number of queues for this priority level.'),
    column('HandSize', '`handSize` is a small positive number that configures the shuffle sharding of requests into queues.'),
    column('QueueLengthLimit', '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time.'),
    ageColumn
  ],
  // v1 defaulting: nominalConcurrencyShares 30; queues 64, handSize 8, queueLengthLimit 50.
  row: (obj, now) => {
    const limited = obj.spec?.limited
    const queuing = limited?.limitResponse?.queuing
    const cells: unknown[] = [name(obj), obj.spec?.type ?? '', '<none>', '<none>', '<none>', '<none>', age(obj, now)]
    if (limited != null) {
      cells[2] = limited.nominalConcurrencyShares ?? 30
      if (queuing != null) {
        cells[3] = queuing.queues ?? 64
        cells[4] = queuing.handSize ?? 8
        cells[5] = queuing.queueLengthLimit ?? 50
      }
    }
    return cells
  }
}

/** extractCSRStatus: Denied / Approved / Pending, then `,Failed`, then `,Issued`. */
function csrStatus (csr: any): string {
  const types = new Set((csr.status?.conditions ?? []).map((c: any) => c.type))
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending'
  if (types.has('Failed')) status += ',Failed'
  if ((csr.status?.certificate ?? '').length > 0) status += ',Issued'
  return status
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'signerName indicates the requested signer, and is a qualified name.'),
    column('Requestor', 'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block.'),
    column('RequestedDuration', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    column('Condition', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".')
  ],
  row: (obj, now) => {
    const seconds = obj.spec?.expirationSeconds
    return [
      name(obj), age(obj, now), obj.spec?.signerName || '<none>', obj.spec?.username ?? '',
      seconds == null ? '<none>' : humanDuration(seconds * 1000), csrStatus(obj)
    ]
  }
}

export const apiServicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Service', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'Whether this service is available.'),
    ageColumn
  ],
  // `True`, `False (MissingEndpoints)`, or `Unknown` without an Available condition.
  row: (obj, now) => {
    const svc = obj.spec?.service
    const available = (obj.status?.conditions ?? []).find((c: any) => c.type === 'Available')
    let status = 'Unknown'
    if (available !== undefined) {
      status = available.status === 'True' || !available.reason ? available.status : `${available.status} (${available.reason})`
    }
    return [name(obj), svc == null ? 'Local' : `${svc.namespace ?? ''}/${svc.name ?? ''}`, status, age(obj, now)]
  }
}
