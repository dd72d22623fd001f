package inplace

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// pointAlias creates the run's alias on version. An alias of that name that
// exists already is taken over only if a run created it (Resolve checked,
// but one may have appeared since): clean-up deletes it with the others.
func (t *Target) pointAlias(ctx context.Context, power int32, alias, version string) error {
	t.fn.Ledger().AddAlias(alias)
	op, err := "CreateAlias", t.fn.CreateAlias(ctx, alias, version, runrecord.Marked(t.env.RunID, ""))
	if faults.IsAliasExists(err) {
		op, err = t.takeOverLeftover(ctx, power, alias, version)
	}
	if err != nil {
		return &faults.StepError{Operation: op, Function: t.fn.ARN(), Power: power, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	return nil
}

// takeOverLeftover points an existing alias at version if a run created it,
// and returns the operation that failed. Any other alias is left alone and
// out of clean-up.
func (t *Target) takeOverLeftover(ctx context.Context, power int32, alias, version string) (string, error) {
	got, err := t.fn.GetAlias(ctx, alias)
	if err != nil {
		t.fn.Ledger().AliasDeleted(alias) // whose it is is unknown: not ours to delete
		return "GetAlias", err
	}
	if !runrecord.IsMarked(aws.ToString(got.Description)) {
		t.fn.Ledger().AliasDeleted(alias) // someone else's: clean-up leaves it
		return "CreateAlias", foreignAliasesError([]foreignAlias{{name: alias, version: aws.ToString(got.FunctionVersion), power: power}})
	}
	return "UpdateAlias", t.fn.UpdateAlias(ctx, alias, version, runrecord.Marked(t.env.RunID, ""), true)
}

// foreignAlias is an existing alias with a name the run would create that
// no tuning run created.
type foreignAlias struct {
	name, version string
	power         int32
}

// checkAliasesAreOurs fails the run, before it changes anything, if an alias
// it would create exists and is not a leftover of a tuning run: taking it
// over would repoint and then delete someone's alias. A leftover tells the
// core to recover the interrupted run first.
func (t *Target) checkAliasesAreOurs(ctx context.Context) error {
	wanted := map[string]int32{} // alias name → its power value
	for _, p := range t.env.Powers {
		for v := range t.Variants() {
			wanted[t.aliasName(p, v)] = p
		}
	}
	aliases, err := t.fn.Aliases(ctx)
	if err != nil {
		return &faults.StepError{Operation: "ListAliases", Function: t.fn.ARN(), Err: err}
	}
	var foreign []foreignAlias
	for _, a := range aliases {
		name := aws.ToString(a.Name)
		power, ok := wanted[name]
		leftover := runrecord.IsMarked(aws.ToString(a.Description)) && runrecord.IsSizeAlias(name)
		if leftover || name == runrecord.DescriptionAlias {
			t.fn.NoteLeftovers()
		}
		if ok && !leftover {
			foreign = append(foreign, foreignAlias{name: name, version: aws.ToString(a.FunctionVersion), power: power})
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	step := &faults.StepError{Operation: "ListAliases", Function: t.fn.ARN(), Err: foreignAliasesError(foreign)}
	if len(foreign) == 1 {
		step.Power = foreign[0].power
	}
	return step
}

// foreignAliasesError wraps ErrAliasNotOurs, naming each alias and its
// version and saying how to get out of the way.
func foreignAliasesError(foreign []foreignAlias) error {
	slices.SortFunc(foreign, func(a, b foreignAlias) int {
		return cmp.Or(cmp.Compare(a.power, b.power), cmp.Compare(a.name, b.name))
	})
	var names, powers []string
	for _, a := range foreign {
		names = append(names, fmt.Sprintf("%s (version %s)", a.name, a.version))
		if p := strconv.Itoa(int(a.power)); !slices.Contains(powers, p) {
			powers = append(powers, p)
		}
	}
	return fmt.Errorf("%w: %s; rename or delete %s, or drop %s from power_values", faults.ErrAliasNotOurs,
		strings.Join(names, ", "), faults.Plural(len(foreign), "that alias", "those aliases"), strings.Join(powers, ", "))
}
