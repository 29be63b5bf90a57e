// k3s's local-path provisioner (rancher/local-path-provisioner on sig-storage-lib-external-provisioner)
// together with the part of kube-controller-manager's persistentvolume-controller it relies on:
// for claims of a class provisioned by `rancher.io/local-path`, a hostPath PV `pvc-<claim uid>`
// pinned to one node (the scheduler's `volume.kubernetes.io/selected-node` for WaitForFirstConsumer,
// a Ready node for Immediate), bound both ways; with reclaim policy Delete the PV goes with its claim.
// No helper pods (`helper-pod-create-pvc-…`): the fake runtime has no disks to prepare.
// Reads through listers (and, once, a list of kube-system's provisioner pod for the events'
// source), writes through the Client only.
import { randomUUID } from 'node:crypto'
import { ignoreNotFound, isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import { EventRecorder, type RecordOptions } from '../../client/events.ts'
import type { ControllerContext, ControllerDefinition } from '../../controllers/types.ts'

type Json = Record<string, any>
type Obj = KubeObject & Json

export const PROVISIONER = 'rancher.io/local-path'
export const STORAGE_DIR = '/var/lib/rancher/k3s/storage'
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node'
export const LOCAL_PATH_SELECTED_NODE = 'local.path.provisioner/selected-node'
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class'

/** The StorageClass k3s ships (manifests/local-storage.yaml). */
export function defaultStorageClass (): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'local-path', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: PROVISIONER,
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
  } as unknown as KubeObject
}

export interface LocalPathOptions {
  /** The provisioner pod's name: the event source is `rancher.io/local-path_<pod>_<id>`. Default: the running provisioner pod's. */
  podName?: string
  /** With `podName`: the provisioner's run id (a UUID upstream, made at its start). */
  id?: string
}

const PV_CONTROLLER = 'persistentvolume-controller'
const ALREADY_EXISTS = 409

/**
 * The provisioner's identity as its events name it, `<pod>_<run id>`: the local-path-provisioner
 * pod the add-on runs in kube-system (its name is POD_NAME upstream; its UID stands for the UUID
 * the process makes at start, so a seeded cluster names it the same every run), undefined while
 * there is none.
 */
async function provisionerPod (ctx: ControllerContext): Promise<string | undefined> {
  const { items } = await ctx.client.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'app=local-path-provisioner' }).catch(() => ({ items: [] as KubeObject[] }))
  const pod = items.find(p => (p.status as Obj | undefined)?.phase === 'Running') ?? items[0]
  return pod === undefined ? undefined : `${pod.metadata.name}_${pod.metadata.uid}`
}

export function localPathProvisioner (options: LocalPathOptions = {}): ControllerDefinition {
  const fallback = `local-path-provisioner_${options.id ?? randomUUID()}`
  let recorders: Recorders | undefined
  /** Kept once the identity is the pod's: until the add-on's pod exists, asked again each time. */
  const events = async (ctx: ControllerContext): Promise<Recorders> => {
    if (recorders !== undefined) return recorders
    const own = options.podName === undefined ? await provisionerPod(ctx) : `${options.podName}_${options.id ?? randomUUID()}`
    const made = {
      provisioner: new EventRecorder({ client: ctx.client, clock: ctx.clock, source: { component: `${PROVISIONER}_${own ?? fallback}` } }),
      pvController: new EventRecorder({ client: ctx.client, clock: ctx.clock, source: { component: PV_CONTROLLER } }),
    }
    if (own !== undefined) recorders = made
    return made
  }
  return {
    name: 'local-path-provisioner',
    informers: {
      claims: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
      volumes: { apiVersion: 'v1', kind: 'PersistentVolume' },
      classes: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' },
      nodes: { apiVersion: 'v1', kind: 'Node' },
    },
    events: [
      { informer: 'claims', on: ['add', 'update'], keys: ({ obj }) => [`pvc:${obj.metadata.namespace}/${obj.metadata.name}`] },
      { informer: 'claims', on: ['delete'], keys: ({ obj }) => [`pv:pvc-${obj.metadata.uid}`] },
      { informer: 'volumes', on: ['add', 'update', 'delete'], keys: ({ obj }) => volumeKeys(obj as Obj) },
      {
        informer: 'classes',
        on: ['add', 'update'],
        keys: (_e, ctx) => ctx.lister('claims').list().filter(c => !(c as Obj).spec?.volumeName).map(c => `pvc:${c.metadata.namespace}/${c.metadata.name}`),
      },
    ],
    sync: async (key, ctx) => {
      if (key.startsWith('pvc:')) await syncClaim(ctx, key.slice(4), await events(ctx))
      else if (key.startsWith('pv:')) await syncVolume(ctx, key.slice(3))
    },
  }
}

function volumeKeys (pv: Obj): string[] {
  const ref = pv.spec?.claimRef
  const keys = [`pv:${pv.metadata.name}`]
  if (ref?.namespace !== undefined) keys.push(`pvc:${ref.namespace}/${ref.name}`)
  return keys
}


/** The claim's class: named, or (no name) the default one, as the DefaultStorageClass admission picks it. */
function classOf (ctx: ControllerContext, pvc: Obj): Obj | undefined {
  const name = pvc.spec?.storageClassName as string | undefined
  const classes = ctx.lister('classes')
  if (name !== undefined) return name === '' ? undefined : classes.get(name) as Obj | undefined
  return (classes.list() as Obj[]).find(c => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
}

interface Recorders { provisioner: EventRecorder, pvController: EventRecorder }

/**
 * Record, retrying a name clash: EventRecorder names events <object>.<clock ns + own counter>, so two
 * recorders on one (virtual) clock can pick the same name; each retry takes the next counter.
 */
export async function recordEvent (rec: EventRecorder, obj: KubeObject, o: RecordOptions): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const err = await rec.record(obj, o)
    if (err === undefined || !isStatusError(err, ALREADY_EXISTS)) return
  }
}

async function syncClaim (ctx: ControllerContext, key: string, ev: Recorders): Promise<void> {
  const cached = ctx.lister('claims').get(key) as Obj | undefined
  if (cached === undefined || cached.metadata.deletionTimestamp !== undefined) return
  const cls = classOf(ctx, cached)
  if (cls === undefined || cls.provisioner !== PROVISIONER) return
  let pvc = await ctx.client.get<Obj>('v1', 'PersistentVolumeClaim', cached.metadata.namespace, cached.metadata.name!)
  if (pvc.spec.storageClassName === undefined) {
    // Created before any class was the default (DefaultStorageClass admission names it otherwise): the persistentvolume-controller's retroactive assignment (1.28+).
    pvc.spec = { ...pvc.spec, storageClassName: cls.metadata.name }
    pvc = await ctx.client.update(pvc)
  }
  const volumeName = `pvc-${pvc.metadata.uid}`
  if (pvc.spec.volumeName !== undefined && pvc.spec.volumeName !== volumeName) return // bound to another volume: not ours
  if (pvc.status?.phase === undefined) {
    pvc.status = { ...pvc.status, phase: 'Pending' }
    pvc = await ctx.client.update(pvc, { subresource: 'status' })
  }
  let pv = await ctx.client.get<Obj>('v1', 'PersistentVolume', undefined, volumeName).catch(ignoreNotFound)
  if (pv === undefined) {
    if (pvc.status?.phase === 'Bound') return // its volume is gone: Lost upstream; leave it
    const node = await nodeFor(ctx, pvc, cls, ev)
    if (node === undefined) return
    pv = await provision(ctx, pvc, cls, node, ev)
  }
  await bind(ctx, pvc, pv)
}

/** Where the volume goes, or undefined when the claim must wait. */
async function nodeFor (ctx: ControllerContext, pvc: Obj, cls: Obj, ev: Recorders): Promise<string | undefined> {
  const selected = pvc.metadata.annotations?.[SELECTED_NODE] as string | undefined
  if (cls.volumeBindingMode === 'WaitForFirstConsumer') {
    if (selected === undefined) {
      await recordEvent(ev.pvController, pvc, { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' })
      return undefined
    }
    return selected
  }
  if (selected !== undefined) return selected
  // Immediate: the first Ready, schedulable node by name (upstream needs a shared path for this).
  const nodes = (ctx.lister('nodes').list() as Obj[])
    .filter(n => n.spec?.unschedulable !== true && (n.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True'))
    .map(n => n.metadata.name!).sort()
  return nodes[0]
}

async function provision (ctx: ControllerContext, pvc: Obj, cls: Obj, node: string, ev: Recorders): Promise<Obj> {
  const ns = pvc.metadata.namespace!
  const claimName = pvc.metadata.name!
  const name = `pvc-${pvc.metadata.uid}`
  // The persistentvolume-controller hands the claim to the external provisioner.
  const annotations = pvc.metadata.annotations ?? {}
  if (annotations['volume.kubernetes.io/storage-provisioner'] !== PROVISIONER) {
    pvc.metadata.annotations = { ...annotations, 'volume.beta.kubernetes.io/storage-provisioner': PROVISIONER, 'volume.kubernetes.io/storage-provisioner': PROVISIONER }
    Object.assign(pvc, await ctx.client.update(pvc))
  }
  await recordEvent(ev.pvController, pvc, {
    type: 'Normal',
    reason: 'ExternalProvisioning',
    message: `Waiting for a volume to be created either by the external provisioner '${PROVISIONER}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  })
  await recordEvent(ev.provisioner, pvc, { type: 'Normal', reason: 'Provisioning', message: `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name}"` })
  const pv: Obj = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [LOCAL_PATH_SELECTED_NODE]: node, 'pv.kubernetes.io/provisioned-by': PROVISIONER } },
    spec: {
      accessModes: [...(pvc.spec.accessModes ?? ['ReadWriteOnce'])],
      capacity: { storage: pvc.spec.resources?.requests?.storage ?? '0' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claimName, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion },
      hostPath: { path: `${STORAGE_DIR}/${name}_${ns}_${pvc.metadata.name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata.name,
      volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
    },
  }
  const created = await ctx.client.create(pv, { fieldManager: 'local-path-provisioner' }).catch(async err => {
    if (!isStatusError(err, ALREADY_EXISTS)) throw err
    return await ctx.client.get<Obj>('v1', 'PersistentVolume', undefined, name)
  })
  await recordEvent(ev.provisioner, pvc, { type: 'Normal', reason: 'ProvisioningSucceeded', message: `Successfully provisioned volume ${name}` })
  return created
}

/** The persistentvolume-controller's binding: PV Bound to the claim, claim Bound to the PV. */
async function bind (ctx: ControllerContext, pvc: Obj, pv: Obj): Promise<void> {
  if (pv.status?.phase !== 'Bound') {
    pv.status = { ...pv.status, phase: 'Bound' }
    delete pv.status.lastPhaseTransitionTime
    await ctx.client.update(pv, { subresource: 'status' })
  }
  const annotations = pvc.metadata.annotations ?? {}
  if (pvc.spec.volumeName !== pv.metadata.name || annotations['pv.kubernetes.io/bind-completed'] !== 'yes') {
    pvc.spec = { ...pvc.spec, volumeName: pv.metadata.name }
    pvc.metadata.annotations = { ...annotations, 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' }
    pvc = await ctx.client.update(pvc)
  }
  if (pvc.status?.phase !== 'Bound') {
    pvc.status = { ...pvc.status, phase: 'Bound', accessModes: [...pv.spec.accessModes], capacity: { ...pv.spec.capacity } }
    await ctx.client.update(pvc, { subresource: 'status' })
  }
}

/** A local-path volume whose claim is gone: marked Released, then removed when its reclaim policy is Delete. */
async function syncVolume (ctx: ControllerContext, name: string): Promise<void> {
  const pv = await ctx.client.get<Obj>('v1', 'PersistentVolume', undefined, name).catch(ignoreNotFound)
  if (pv === undefined || pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] !== PROVISIONER) return
  const ref = pv.spec?.claimRef
  if (ref === undefined || pv.metadata.deletionTimestamp !== undefined) return
  const claim = await ctx.client.get<Obj>('v1', 'PersistentVolumeClaim', ref.namespace, ref.name).catch(ignoreNotFound)
  if (claim !== undefined && claim.metadata.uid === ref.uid) return
  // The persistentvolume-controller releases the volume first (pv-protection lets a Bound one be).
  if (pv.status?.phase !== 'Released') {
    pv.status = { ...pv.status, phase: 'Released' }
    await ctx.client.update(pv, { subresource: 'status' })
    return // its update event comes back here
  }
  if (pv.spec.persistentVolumeReclaimPolicy === 'Delete') await ctx.client.delete('v1', 'PersistentVolume', undefined, name).catch(ignoreNotFound)
}
