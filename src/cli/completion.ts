// `k3sim completion bash|zsh|fish`: a completion script built from the command tree itself
// (commands and flags at each level), so it never lags behind the commands.
import { Command, Argument } from 'commander'
import { action } from './output.ts'

interface Level { path: string, words: string[] }

function levels (cmd: Command, prefix: string[] = []): Level[] {
  const options = cmd.options.filter(o => !o.hidden) // k3d's flags k3sim only refuses are not offered
  const words = [...cmd.commands.map(c => c.name()), ...options.flatMap(o => [o.long, o.short].filter((f): f is string => f !== undefined))]
  return [{ path: prefix.join(' '), words }, ...cmd.commands.flatMap(c => levels(c, [...prefix, c.name()]))]
}

function bash (root: Command): string {
  const cases = levels(root).map(l => `    "${l.path}") words="${l.words.join(' ')}" ;;`).join('\n')
  return `# bash completion for k3sim: source <(k3sim completion bash)
_k3sim() {
  local cur path="" w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in -*) ;; *) path="\${path:+$path }$w" ;; esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _k3sim k3sim
`
}

function zsh (root: Command): string {
  return `#compdef k3sim
# zsh completion for k3sim: source <(k3sim completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(root)}`
}

function fish (root: Command): string {
  return '# fish completion for k3sim: k3sim completion fish | source\n' + levels(root).flatMap(l => {
    const cond = l.path === '' ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${l.path.split(' ').pop()}`
    return l.words.filter(w => !w.startsWith('-')).map(w => `complete -c k3sim -f -n '${cond}' -a '${w}'`)
  }).join('\n') + '\n'
}

export function completionCommand (root: Command): Command {
  return new Command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', '\nExamples:\n  $ k3sim completion bash > /etc/bash_completion.d/k3sim\n  $ source <(k3sim completion bash)\n  $ k3sim completion fish | source')
    .action(action((shell: 'bash' | 'zsh' | 'fish') => { process.stdout.write({ bash, zsh, fish }[shell](root)) }))
}
