// ConfigMaps and Secrets: config keys and the 1 MiB limit (ValidateConfigMap/ValidateSecret).
// (A Secret's stringData and default type are handled while decoding: schemas/secret.ts.)
import type { StatusCause } from '../errors.ts'
import type { Strategy } from './strategy.ts'

type Json = Record<string, any>

const KEY = /^[-._a-zA-Z0-9]+$/
const MAX_SIZE = 1024 * 1024
const keyMessage = 'a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')'

function validateKeys (maps: Array<[string, Json | undefined]>, bytes: (field: string, v: string) => number): StatusCause[] {
  const causes: StatusCause[] = []
  let size = 0
  for (const [field, map] of maps) {
    for (const [k, v] of Object.entries(map ?? {})) {
      if (!KEY.test(k) || k === '.' || k === '..') causes.push({ reason: 'FieldValueInvalid', field: `${field}[${k}]`, message: `Invalid value: ${JSON.stringify(k)}: ${k === '.' || k === '..' ? `must not be '${k}'` : keyMessage}` })
      size += bytes(field, String(v))
    }
  }
  if (size > MAX_SIZE) causes.push({ reason: 'FieldValueTooLong', field: '', message: `Too long: may not be more than ${MAX_SIZE} bytes` })
  return causes
}

export const configMapStrategy: Strategy = {
  generation: false,
  status: false,
  validate (obj) {
    const causes = validateKeys([['data', obj.data as Json], ['binaryData', obj.binaryData as Json]], (field, v) => (field === 'binaryData' ? Math.floor(v.length * 3 / 4) : Buffer.byteLength(v)))
    for (const k of Object.keys((obj.data as Json | undefined) ?? {})) {
      if ((obj.binaryData as Json | undefined)?.[k] !== undefined) causes.push({ reason: 'FieldValueInvalid', field: `data[${k}]`, message: `Invalid value: ${JSON.stringify(k)}: duplicate of key present in binaryData` })
    }
    return causes
  },
}

export const secretStrategy: Strategy = {
  generation: false,
  status: false,
  validate (obj) {
    return validateKeys([['data', obj.data as Json]], (_f, v) => Math.floor(v.length * 3 / 4))
  },
  validateUpdate (obj, old) {
    return obj.type !== old.type ? [{ reason: 'FieldValueInvalid', field: 'type', message: `Invalid value: ${JSON.stringify(obj.type)}: field is immutable` }] : []
  },
}
