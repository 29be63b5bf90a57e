// rbac.authorization.k8s.io bindings. Roles and ClusterRoles have no printer upstream: they get
// the default Name / Created At table.
import { type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { translateAge } from './time.ts'

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts, each `, `-joined. */
function subjects (list: any[]): [string, string, string] {
  const users: string[] = []
  const groups: string[] = []
  const sas: string[] = []
  for (const s of list) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`)
    else if (s.kind === 'User') users.push(s.name ?? '')
    else if (s.kind === 'Group') groups.push(s.name ?? '')
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')]
}

function bindingPrinter (kind: string): Printer {
  return {
    columns: [
      nameColumn,
      column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      ageColumn,
      wide('Users', `Users in the ${kind}`),
      wide('Groups', `Groups in the ${kind}`),
      wide('ServiceAccounts', `ServiceAccounts in the ${kind}`)
    ],
    row: (obj, now) => [
      obj.metadata?.name ?? '', `${obj.roleRef?.kind ?? ''}/${obj.roleRef?.name ?? ''}`,
      translateAge(obj.metadata?.creationTimestamp, now), ...subjects(obj.subjects ?? [])
    ]
  }
}

export const roleBindingPrinter = bindingPrinter('roleBinding')
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding')
