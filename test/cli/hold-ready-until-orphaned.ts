// Test preload (NODE_OPTIONS=--import, so the detached cluster process inherits it): in a
// `k3sim server` started with an IPC channel, hold its ready message until that channel has
// closed. That is the order a `k3sim cluster create` interrupted mid-start meets its cluster
// process in, produced by construction instead of by timing a kill. In any other process (the
// CLI itself has no channel) it does nothing.
if (process.send !== undefined) {
  const send = process.send.bind(process) as (...args: unknown[]) => boolean
  process.send = ((...args: unknown[]) => {
    if (!process.connected) return send(...args)
    process.once('disconnect', () => send(...args))
    return true
  }) as typeof process.send
}
