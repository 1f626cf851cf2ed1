package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionCommand prints a shell completion script made from the commands and flags themselves, so it
// never falls behind them.
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a completion script: eval \"$(carriersim completion bash)\" (bash or zsh with bashcompinit)",
		ArgsUsage: "bash|zsh",
		Action: func(c *cli.Context) error {
			switch c.Args().First() {
			case "bash", "zsh":
				return writeCompletion(c.App.Writer, c.App)
			default:
				return usageError("completion: expected bash or zsh, found %q", c.Args().First())
			}
		},
	}
}

// writeCompletion writes a bash completion function: command names after the program, the command's
// flags after a command, file names elsewhere.
func writeCompletion(w io.Writer, app *cli.App) error {
	var names []string
	var cases strings.Builder
	for _, cmd := range app.Commands {
		names = append(names, cmd.Name)
		var flags []string
		for _, f := range cmd.Flags {
			for _, n := range f.Names() {
				flags = append(flags, "--"+n)
			}
		}
		for _, sub := range cmd.Subcommands {
			flags = append(flags, sub.Name)
		}
		sort.Strings(flags)
		fmt.Fprintf(&cases, "    %s) words=%q ;;\n", cmd.Name, strings.Join(flags, " "))
	}
	sort.Strings(names)
	_, err := fmt.Fprintf(w, `# carriersim completion for bash (and zsh with bashcompinit)
_carriersim() {
  local cur=${COMP_WORDS[COMP_CWORD]} cmd="" words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac
  done
  case $cmd in
    "") words=%q ;;
%s    *) words="" ;;
  esac
  if [[ $cur == -* || -z $cmd ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _carriersim carriersim
`, strings.Join(names, " ")+" --log-level --version --help", cases.String())
	return err
}
