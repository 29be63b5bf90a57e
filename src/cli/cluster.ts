// `k3sim cluster ...`: k3d's cluster verbs, one file each.
import { Command } from 'commander'
import { clusterCreateCommand } from './cluster-create.ts'
import { clusterDeleteCommand } from './cluster-delete.ts'
import { clusterEditCommand } from './cluster-edit.ts'
import { clusterListCommand } from './cluster-list.ts'
import { clusterStartCommand, clusterStopCommand } from './cluster-start-stop.ts'

export function clusterCommand (): Command {
  return new Command('cluster')
    .description('manage clusters (each one a detached k3sim server process)')
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster create dev --agents 2\n  $ k3sim cluster list\n  $ k3sim cluster stop dev')
    .addCommand(clusterCreateCommand())
    .addCommand(clusterListCommand())
    .addCommand(clusterStartCommand())
    .addCommand(clusterStopCommand())
    .addCommand(clusterDeleteCommand())
    .addCommand(clusterEditCommand())
}
