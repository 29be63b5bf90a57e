// Mocha root hooks (.mocharc "require"): what the whole run shares is torn down once at its end —
// the private dockerd the docker runtime's tests started, if any.
import { stopTestDocker } from './docker-daemon.ts'

export const mochaHooks = {
  async afterAll (): Promise<void> {
    await stopTestDocker()
  },
}
