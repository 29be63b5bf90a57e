// `k3sim kine`: only the store and its etcd v3 API, in the foreground — what kine is to k3s.
// Prints one line once listening (tests read the port from it), stops cleanly on SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander'

export interface ListenAddress { host: string, port: number }

/** "127.0.0.1:2379", "[::1]:2379", "localhost:0" → host and port (0 = pick a free one). */
export function parseListenAddress (value: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value)
  const port = m === null ? NaN : Number(m[3])
  if (m === null || port > 65535) {
    throw new InvalidArgumentError(`use HOST:PORT, e.g. 127.0.0.1:2379 or [::1]:2379 (port 0 picks a free port), got "${value}"`)
  }
  return { host: m[1] ?? m[2], port }
}

export function kineCommand (): Command {
  return new Command('kine')
    .description('run only the datastore with its etcd v3 API in the foreground (like k3s\'s kine); etcdctl works against it')
    .option('--data-dir <dir>', 'data directory; the database is <dir>/db/state.db (default: in memory, nothing kept)')
    .addHelpText('after', '\nExamples:\n  $ k3sim kine --data-dir ./data --listen-address 127.0.0.1:2379')
    .option('--listen-address <host:port>', 'address of the etcd API', parseListenAddress, parseListenAddress('127.0.0.1:2379'))
    .action(async (options: { dataDir?: string, listenAddress: ListenAddress }) => runKine(options))
}

async function runKine (options: { dataDir?: string, listenAddress: ListenAddress }): Promise<void> {
  // Loaded here so other commands (and `k3sim --help`) do not pay for the store and gRPC.
  const [{ startEtcdServer }, { Compactor }, { openBackend }, { RealClock }] = await Promise.all([
    import('../etcd/server.ts'), import('../store/compactor.ts'), import('../store/open.ts'), import('../util/clock.ts'),
  ])
  let backend
  try {
    backend = await openBackend({ dataDir: options.dataDir })
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    console.error(`Error: cannot open the datastore in ${options.dataDir ?? 'memory'}: ${reason}\nCheck that --data-dir is a writable directory.`)
    process.exitCode = 1
    return
  }
  const { host, port } = options.listenAddress
  let server
  try {
    server = await startEtcdServer({ backend, host, port })
  } catch (err) {
    await backend.close()
    const reason = err instanceof Error ? err.message : String(err)
    console.error(`Error: cannot listen on ${host}:${port}: ${reason}\nIs another etcd or k3sim already using it? Choose another address with --listen-address.`)
    process.exitCode = 1
    return
  }
  const shown = host.includes(':') ? `[${host}]:${server.port}` : `${host}:${server.port}`

  // kine's auto-compaction: every 5 minutes, keeping the newest 1000 revisions.
  const compactor = new Compactor({ backend, clock: new RealClock(), onError: err => console.error('compaction failed:', err) })

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    compactor.stop()
    // stop accepting and let in-flight calls finish, then let the store finish its writes
    void server.close()
      .then(() => backend.close())
      .then(() => process.exit(0), (err: unknown) => {
        console.error('Error: while stopping:', err)
        process.exit(1)
      })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  // Announced only once SIGINT/SIGTERM stop it cleanly.
  console.log(`k3sim kine listening on ${shown} (data: ${options.dataDir ?? 'in memory'})`)
}
