// The kubectl commands capture-kubectl.ts runs, and the objects its server answers GETs with.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CaptureCase = {
  name: string;
  args: string[]; // `{key}` is replaced by a path from writeInputFiles
  dryRun?: boolean; // also capture `--dry-run=client -o json` as the expected JSON
  mayFail?: boolean; // kubectl may exit non-zero after sending (e.g. drain waiting on our fake)
};

export const CASES: CaptureCase[] = [
  { name: 'namespace', args: ['create', 'namespace', 'foo'], dryRun: true },
  { name: 'deployment', args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80'], dryRun: true },
  { name: 'deployment-zero-replicas', args: ['create', 'deployment', 'idle', '--image=nginx', '--image=busybox', '--replicas=0'], dryRun: true },
  { name: 'configmap', args: ['create', 'configmap', 'c', '--from-literal=a=b', '--from-file=blob={binary}', '--from-file=text={text}'], dryRun: true },
  { name: 'secret-generic', args: ['create', 'secret', 'generic', 's', '--from-literal=p=q', '--from-file=blob={binary}', '--type=Opaque'], dryRun: true },
  { name: 'secret-tls', args: ['create', 'secret', 'tls', 't', '--cert={cert}', '--key={key}'], dryRun: true },
  { name: 'secret-docker-registry', args: ['create', 'secret', 'docker-registry', 'd', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p', '--docker-email=u@example.com'], dryRun: true },
  { name: 'service-clusterip', args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'], dryRun: true },
  { name: 'service-headless', args: ['create', 'service', 'clusterip', 'hl', '--clusterip=None'], dryRun: true },
  { name: 'service-nodeport', args: ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'], dryRun: true },
  { name: 'service-loadbalancer', args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443'], dryRun: true },
  { name: 'service-externalname', args: ['create', 'service', 'externalname', 'ext', '--external-name=example.com'], dryRun: true },
  { name: 'job', args: ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'], dryRun: true },
  { name: 'job-from-cronjob', args: ['create', 'job', 'manual', '--from=cronjob/cj'], dryRun: true },
  { name: 'cronjob', args: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--restart=OnFailure', '--', 'date'], dryRun: true },
  { name: 'role', args: ['create', 'role', 'r', '--verb=get', '--verb=list', '--resource=pods', '--resource=deployments.apps', '--resource-name=x'], dryRun: true },
  { name: 'clusterrole', args: ['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes', '--non-resource-url=/healthz'], dryRun: true },
  { name: 'clusterrole-aggregated', args: ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate-to-view=true'], dryRun: true },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'rb', '--role=r', '--user=alice', '--group=devs', '--serviceaccount=default:sa'], dryRun: true },
  { name: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=bob'], dryRun: true },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'sa'], dryRun: true },
  { name: 'quota', args: ['create', 'quota', 'q', '--hard=pods=2,cpu=1500m,memory=1Gi', '--scopes=BestEffort'], dryRun: true },
  { name: 'priorityclass', args: ['create', 'priorityclass', 'pc', '--value=1000', '--description=high', '--preemption-policy=Never'], dryRun: true },
  { name: 'priorityclass-zero', args: ['create', 'priorityclass', 'pc0', '--value=0', '--global-default'], dryRun: true },
  { name: 'poddisruptionbudget', args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=1'], dryRun: true },
  { name: 'poddisruptionbudget-percent', args: ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=web', '--max-unavailable=50%'], dryRun: true },
  { name: 'ingress', args: ['create', 'ingress', 'ing', '--rule=foo.com/=svc:80', '--rule=bar.com/admin*=svc2:http,tls=my-cert', '--class=nginx', '--annotation=a=b'], dryRun: true },
  { name: 'autoscale', args: ['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=80'], dryRun: true },
  { name: 'expose', args: ['expose', 'deployment', 'web', '--port=80', '--target-port=8080'], dryRun: true },
  { name: 'run', args: ['run', 'p', '--image=nginx', '--labels=app=p', '--env=A=1', '--port=80'], dryRun: true },
  { name: 'auth-can-i', args: ['auth', 'can-i', 'get', 'pods'] },
  { name: 'auth-can-i-subresource', args: ['auth', 'can-i', 'create', 'pods', '--subresource=log', '-n', 'kube-system'] },
  { name: 'auth-can-i-nonresource', args: ['auth', 'can-i', 'get', '/healthz'] },
  { name: 'auth-can-i-list', args: ['auth', 'can-i', '--list'] },
  { name: 'auth-whoami', args: ['auth', 'whoami'] },
  { name: 'token', args: ['create', 'token', 'sa', '--duration=1h', '--audience=api', '--bound-object-kind=Pod', '--bound-object-name=p1', '--bound-object-uid=0a1b2c3d-0000-0000-0000-000000000001'] },
  { name: 'drain', args: ['drain', 'n1', '--force', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=10s', '--grace-period=5'], mayFail: true },
];

const DEPLOYMENT = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: '7f0c2b8e-0000-0000-0000-000000000002', labels: { app: 'web' } },
  spec: {
    replicas: 1, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
  },
};

const CRONJOB = {
  apiVersion: 'batch/v1', kind: 'CronJob',
  metadata: { name: 'cj', namespace: 'default', uid: '5d3e8a10-0000-0000-0000-000000000003' },
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'cj', image: 'busybox', command: ['date'] }] } } } },
  },
};

const NODE = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: '9a9a9a9a-0000-0000-0000-000000000004' }, spec: {} };

const POD = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p1', namespace: 'default', uid: '1b1b1b1b-0000-0000-0000-000000000005' },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] },
};

/** Objects the capture server returns for GET (full request URL, or path). */
export const GETS: Record<string, unknown> = {
  '/apis/apps/v1/namespaces/default/deployments/web': DEPLOYMENT,
  '/apis/batch/v1/namespaces/default/cronjobs/cj': CRONJOB,
  '/api/v1/nodes/n1': NODE,
  '/api/v1/namespaces/default/pods/p1': POD,
  '/api/v1/pods': { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [POD] },
};

/** Writes the files the commands read (TLS pair, a binary and a text file); returns their paths. */
export function writeInputFiles(dir: string): Record<string, string> {
  const files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), binary: join(dir, 'blob.bin'), text: join(dir, 'notes.txt') };
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=k3sim-capture', '-days', '3650', '-keyout', files.key, '-out', files.cert], { stdio: 'ignore' });
  writeFileSync(files.binary, Buffer.from([0xff, 0x00, 0x01, 0xfe, 0x80]));
  writeFileSync(files.text, 'line one\nline two\n');
  return files;
}
