package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/carriersim/carriersim/fixtures"
)

// ErrNotFound marks a scenario reference that is neither an embedded scenario nor an existing file.
var ErrNotFound = errors.New("scenario not found")

// notFoundError is ErrNotFound with its own sentence.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// Load returns the scenario ref names: the name of an embedded scenario (see Embedded) or the path of a
// scenario JSON file. It is decoded strictly and validated. Errors wrap ErrNotFound, ErrInvalid (with the
// file, line or JSON path of every problem) or the file system's error.
func Load(ref string) (*Scenario, error) {
	if b, ok := fixtures.Scenario(ref); ok {
		sc, err := Decode(bytes.NewReader(b), ref)
		if err == nil {
			err = sc.Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("embedded scenario %s: %w", ref, err)
		}
		return sc, nil
	}
	if _, err := os.Stat(ref); errors.Is(err, os.ErrNotExist) {
		return nil, &notFoundError{fmt.Sprintf("%q is neither an embedded scenario (%s) nor an existing file",
			ref, strings.Join(Embedded(), ", "))}
	}
	return LoadFile(ref)
}

// LoadFile decodes and validates the scenario file at path. A validation failure is a *ValidationError
// listing every problem, wrapped with the path.
func LoadFile(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc, err := Decode(f, path)
	if err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sc, nil
}

// Embedded lists the names of the embedded scenarios, sorted.
func Embedded() []string { return fixtures.ScenarioNames() }

// EmbeddedJSON returns the JSON text of an embedded scenario, as a starting point for a file of one's own.
func EmbeddedJSON(name string) ([]byte, bool) { return fixtures.Scenario(name) }

// JSON is the scenario as a file: indented JSON (fields in declaration order, map keys sorted) and a final
// newline. Decode reads it back to the same scenario.
func (s *Scenario) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// SHA256 is the hex sha256 of JSON, the scenario.json of a run folder: it identifies the inputs of a run
// whatever file or overrides produced them.
func (s *Scenario) SHA256() string {
	b, err := s.JSON()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Clone returns a deep copy of the scenario (through its JSON form), so that overrides of the copy leave
// the original as it was.
func (s *Scenario) Clone() (*Scenario, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return Decode(bytes.NewReader(b), s.Name)
}

// PrefectureCodes is the set of the embedded prefecture cities' 6-digit codes.
func PrefectureCodes() (map[string]bool, error) {
	rows, err := fixtures.PrefectureCities()
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.Code] = true
	}
	return out, nil
}
