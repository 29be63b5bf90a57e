// Adapter for sorted-btree (a CommonJS module whose class is its `default` export).
import sortedBtree from 'sorted-btree'

type BTreeClass = typeof sortedBtree.default
export const BTree: BTreeClass = (sortedBtree as unknown as { default: BTreeClass }).default
export type BTree<K, V> = InstanceType<BTreeClass> & import('sorted-btree').default<K, V>
