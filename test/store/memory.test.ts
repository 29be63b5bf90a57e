import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { runBackendContract } from './contract.ts'

runBackendContract('memory', { newBackend: async clock => new MemoryBackend({ clock }) })
