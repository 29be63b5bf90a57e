// Key-range helpers with etcd's conventions: a range is [key, rangeEnd); rangeEnd '\0' means
// "every key >= key"; a prefix p is [p, prefixEnd(p)).

/** The first key after every key starting with `prefix` (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd (prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i)
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1)
  }
  return '\0' // every byte is 0xff (or the prefix is empty): all keys from `prefix`
}

/** True if `key` falls in the range described by (start, rangeEnd). */
export function inRange (key: string, start: string, rangeEnd?: string): boolean {
  if (rangeEnd === undefined || rangeEnd === '') return key === start
  if (rangeEnd === '\0') return key >= start
  return key >= start && key < rangeEnd
}

/** Byte-order comparison for latin1 strings (plain JS comparison is the same order). */
export function compareKeys (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
