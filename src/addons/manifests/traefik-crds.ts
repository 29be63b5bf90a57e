// The CustomResourceDefinitions `helm install traefik-crd` leaves (chart traefik-crd
// 34.2.1+up34.2.0, Traefik v3.3): the ten kinds of traefik.io/v1alpha1 a k3s user writes
// IngressRoutes, Middlewares and TLSOptions with. The schemas are written here, not copied: every
// field of the common cases is typed and unknown fields are pruned as upstream's are; the many
// middleware kinds and other deep parts are kept as written. Required fields are upstream's (an
// IngressRoute's `routes`, a route's `match`, a service's `name`, a TCP service's `port`).
import type { KubeObject } from '../../api/object.ts'
import { arr, bool, crd, int, intOrStr, obj, oneOf, open, str, strs } from './crd.ts'
import { KUBE_SYSTEM } from './common.ts'

const group = 'traefik.io'
const ref = obj({ name: str, namespace: str }, ['name'])
const secretRef = obj({ secretName: str }, ['secretName'])
const domains = arr(obj({ main: str, sans: strs }))
const syntax = oneOf('v3', 'v2')
const spiffe = obj({ ids: strs, trustDomain: str })

/** An HTTP route's backend (LoadBalancerSpec): a Service or a TraefikService. */
const httpService: Record<string, Record<string, unknown>> = {
  name: str,
  namespace: str,
  kind: oneOf('Service', 'TraefikService'),
  port: intOrStr,
  scheme: str,
  strategy: str,
  passHostHeader: bool,
  responseForwarding: obj({ flushInterval: str }),
  serversTransport: str,
  sticky: open,
  weight: { type: 'integer', minimum: 0 },
  nativeLB: bool,
  nodePortLB: bool,
  healthCheck: open,
}

const tcpService = obj({
  name: str,
  namespace: str,
  port: intOrStr,
  weight: { type: 'integer', minimum: 0 },
  proxyProtocol: obj({ version: int }),
  serversTransport: str,
  tls: bool,
  nativeLB: bool,
  nodePortLB: bool,
  terminationDelay: int,
}, ['name', 'port'])

const middlewares = [
  'addPrefix', 'basicAuth', 'buffering', 'chain', 'circuitBreaker', 'compress', 'contentType', 'digestAuth', 'errors',
  'forwardAuth', 'grpcWeb', 'headers', 'inFlightReq', 'ipAllowList', 'ipWhiteList', 'passTLSClientCert', 'plugin',
  'rateLimit', 'redirectRegex', 'redirectScheme', 'replacePath', 'replacePathRegex', 'retry', 'stripPrefix', 'stripPrefixRegex',
]

/** The middlewares most manifests use, typed; the others kept as written. */
const typedMiddlewares: Record<string, Record<string, unknown>> = {
  addPrefix: obj({ prefix: str }),
  basicAuth: obj({ secret: str, realm: str, removeHeader: bool, headerField: str }),
  ipAllowList: obj({ sourceRange: strs, ipStrategy: obj({ depth: int, excludedIPs: strs, ipv6Subnet: int }), rejectStatusCode: int }),
  rateLimit: obj({ average: int, burst: int, period: intOrStr, sourceCriterion: open }),
  redirectRegex: obj({ regex: str, replacement: str, permanent: bool }),
  redirectScheme: obj({ scheme: str, port: str, permanent: bool }),
  replacePath: obj({ path: str }),
  stripPrefix: obj({ prefixes: strs, forceSlash: bool }),
  stripPrefixRegex: obj({ regex: strs }),
}

const tlsClient = { serverName: str, insecureSkipVerify: bool, rootCAsSecrets: strs, certificatesSecrets: strs, peerCertURI: str, spiffe }

/** The traefik-crd release's CRDs, labelled and annotated as helm leaves what it installs. */
export function traefikCrds (): KubeObject[] {
  const helm = {
    group,
    version: 'v1alpha1',
    labels: { 'app.kubernetes.io/managed-by': 'Helm' },
    annotations: { 'meta.helm.sh/release-name': 'traefik-crd', 'meta.helm.sh/release-namespace': KUBE_SYSTEM },
  }
  return [
    crd('ingressroutes', 'IngressRoute', {
      entryPoints: strs,
      routes: arr(obj({
        kind: oneOf('Rule'),
        match: str,
        priority: int,
        syntax,
        middlewares: arr(ref),
        services: arr(obj(httpService, ['name'])),
        observability: obj({ accessLogs: bool, metrics: bool, tracing: bool }),
      }, ['match'])),
      tls: obj({ secretName: str, options: ref, store: ref, certResolver: str, domains }),
    }, { ...helm, required: ['routes'] }),
    crd('ingressroutetcps', 'IngressRouteTCP', {
      entryPoints: strs,
      routes: arr(obj({ match: str, priority: int, syntax, middlewares: arr(ref), services: arr(tcpService) }, ['match'])),
      tls: obj({ secretName: str, passthrough: bool, options: ref, store: ref, certResolver: str, domains }),
    }, { ...helm, required: ['routes'] }),
    crd('ingressrouteudps', 'IngressRouteUDP', {
      entryPoints: strs,
      routes: arr(obj({
        services: arr(obj({ name: str, namespace: str, port: intOrStr, weight: { type: 'integer', minimum: 0 }, nativeLB: bool, nodePortLB: bool }, ['name', 'port'])),
      })),
    }, { ...helm, required: ['routes'] }),
    crd('middlewares', 'Middleware', Object.fromEntries(middlewares.map(m => [m, typedMiddlewares[m] ?? open])), { ...helm, required: [] }),
    crd('middlewaretcps', 'MiddlewareTCP', {
      inFlightConn: obj({ amount: int }),
      ipAllowList: obj({ sourceRange: strs }),
      ipWhiteList: obj({ sourceRange: strs }),
    }, { ...helm, required: [] }),
    crd('serverstransports', 'ServersTransport', {
      ...tlsClient,
      maxIdleConnsPerHost: int,
      disableHTTP2: bool,
      forwardingTimeouts: obj({ dialTimeout: intOrStr, responseHeaderTimeout: intOrStr, idleConnTimeout: intOrStr, readIdleTimeout: intOrStr, pingTimeout: intOrStr }),
    }, { ...helm, required: [] }),
    crd('serverstransporttcps', 'ServersTransportTCP', {
      dialTimeout: intOrStr,
      dialKeepAlive: intOrStr,
      terminationDelay: intOrStr,
      tls: obj(tlsClient),
    }, { ...helm, required: [] }),
    crd('tlsoptions', 'TLSOption', {
      minVersion: str,
      maxVersion: str,
      cipherSuites: strs,
      curvePreferences: strs,
      clientAuth: obj({
        secretNames: strs,
        clientAuthType: oneOf('NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'),
      }),
      sniStrict: bool,
      alpnProtocols: strs,
      preferServerCipherSuites: bool,
    }, { ...helm, required: [] }),
    crd('tlsstores', 'TLSStore', {
      certificates: arr(secretRef),
      defaultCertificate: secretRef,
      defaultGeneratedCert: obj({ resolver: str, domain: obj({ main: str, sans: strs }) }),
    }, { ...helm, required: [] }),
    crd('traefikservices', 'TraefikService', {
      weighted: obj({ services: arr(obj(httpService, ['name'])), sticky: open }),
      mirroring: obj({
        ...httpService,
        mirrors: arr(obj({ ...httpService, percent: int }, ['name'])),
        maxBodySize: int,
        mirrorBody: bool,
      }, ['name']),
    }, { ...helm, required: [] }),
  ]
}
