package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Override sets the field at path, in the JSON names of the scenario file ("demand.orders",
// "carriers[0].fleets[1].per_station", "city.zone_weights.朝阳区", "goods.parcel.value_of_time_cny_per_hour"),
// to value, written as in the file: a JSON number, string, boolean, list or object; a bare word that is not
// JSON is taken as a string. The result is not validated: call Validate after the last override, whose
// messages name the same paths. Errors wrap ErrInvalid and name the path.
func (s *Scenario) Override(path, value string) error {
	steps, err := splitPath(path)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	v := reflect.ValueOf(s).Elem()
	for i, st := range steps {
		last := i == len(steps)-1
		v, err = step(v, st, last, value)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInvalid, joinPath(steps[:i+1]), err)
		}
		if last && v.IsValid() {
			if err := setJSON(v, value); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
			}
		}
	}
	return nil
}

// pathStep is a field name or a list index.
type pathStep struct {
	name  string
	index int // -1 for a name
}

func splitPath(path string) ([]pathStep, error) {
	if path == "" {
		return nil, errors.New("expected a field path such as demand.orders, found nothing")
	}
	var steps []pathStep
	for _, part := range strings.Split(path, ".") {
		name, rest, bracket := strings.Cut(part, "[")
		if bracket && rest == "" {
			return nil, fmt.Errorf("expected a list index such as [0], found [ alone")
		}
		if name == "" && rest == "" {
			return nil, fmt.Errorf("expected a field name between the dots of %q", path)
		}
		if name != "" {
			steps = append(steps, pathStep{name: name, index: -1})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			n, err := strconv.Atoi(num)
			if !ok || err != nil || n < 0 {
				return nil, fmt.Errorf("expected a list index such as [0], found [%s", rest)
			}
			steps = append(steps, pathStep{index: n})
			rest = strings.TrimPrefix(after, "[")
			if after != "" && !strings.HasPrefix(after, "[") {
				return nil, fmt.Errorf("expected . or [ after ], found %q", after)
			}
		}
	}
	return steps, nil
}

func joinPath(steps []pathStep) string {
	var b strings.Builder
	for i, st := range steps {
		switch {
		case st.index >= 0:
			fmt.Fprintf(&b, "[%d]", st.index)
		case i > 0:
			b.WriteString("." + st.name)
		default:
			b.WriteString(st.name)
		}
	}
	return b.String()
}

// step descends from v (a struct, list or map) by one path step. For the last step into a map it stores
// the value itself and returns the zero Value.
func step(v reflect.Value, st pathStep, last bool, value string) (reflect.Value, error) {
	switch v.Kind() {
	case reflect.Struct:
		if st.index >= 0 {
			return reflect.Value{}, fmt.Errorf("expected a field name, found an index: this is an object")
		}
		t := v.Type()
		var names []string
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			if tag == st.name {
				return v.Field(i), nil
			}
			names = append(names, tag)
		}
		return reflect.Value{}, fmt.Errorf("unknown field %q (expected one of %s)", st.name, strings.Join(names, ", "))
	case reflect.Slice, reflect.Array:
		if st.index < 0 {
			return reflect.Value{}, fmt.Errorf("expected an index such as [0]: this is a list")
		}
		if st.index >= v.Len() {
			return reflect.Value{}, fmt.Errorf("index %d is out of range: the list has %d elements", st.index, v.Len())
		}
		return v.Index(st.index), nil
	case reflect.Map:
		if st.index >= 0 || !last {
			return reflect.Value{}, fmt.Errorf("expected a key as the last step: this is a map")
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := setJSON(elem, value); err != nil {
			return reflect.Value{}, err
		}
		v.SetMapIndex(reflect.ValueOf(st.name).Convert(v.Type().Key()), elem)
		return reflect.Value{}, nil
	default:
		return reflect.Value{}, fmt.Errorf("cannot descend into a %s value", kindName(v))
	}
}

// setJSON decodes value into v strictly, as the scenario file would be; a bare word for a string field is
// taken as the string.
func setJSON(v reflect.Value, value string) error {
	ptr := reflect.New(v.Type())
	err := decodeStrict(value, ptr.Interface())
	if err != nil {
		// A bare word: a string, or a value written as a string in the file (a clock time "09:00").
		ptr = reflect.New(v.Type())
		err = decodeStrict(strconv.Quote(value), ptr.Interface())
	}
	if err != nil {
		return fmt.Errorf("expected %s, found %q", kindName(v), value)
	}
	v.Set(ptr.Elem())
	return nil
}

func decodeStrict(text string, into any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the value")
	}
	return nil
}

func kindName(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a JSON list"
	case reflect.Map, reflect.Struct:
		return "a JSON object"
	}
	return "a value of type " + v.Type().String()
}
