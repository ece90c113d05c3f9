// go-json runs the real Go code our TypeScript ports must agree with: the k8s.io/api v0.34
// structs and Argo Rollouts v1.9.1 itself. It writes the Go field tables the ports use and the
// test vectors they are checked against:
//
//	go run . fields pod-template > ../../../src/rollout/pod-template-fields.ts
//	go run . fields canary-steps > ../../../src/canary/canary-step-fields.ts
//	go run . hash < templates.jsonl      # Go JSON, FNV sum and pod-template hash per template
//	go run . step-hash < steps.jsonl     # conditions.ComputeStepHash per steps list
//	go run . quantity < values.jsonl     # Go JSON of each resource.Quantity
//	go run . canary-counts < rows.jsonl  # upstream's canary replica counts for each test row
//	go run . phase < rollouts.jsonl      # upstream's CalculateRolloutPhase for each {spec, status}
//	go run . validate < rollouts.jsonl   # upstream's ValidateRollout errors for each Rollout
//
// It builds offline from the module cache: GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"reflect"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/rand"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/validation"
	"github.com/argoproj/argo-rollouts/utils/conditions"
	"github.com/argoproj/argo-rollouts/utils/replicaset"
	rolloututil "github.com/argoproj/argo-rollouts/utils/rollout"
	appsv1 "k8s.io/api/apps/v1"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go-json fields pod-template|canary-steps | hash | step-hash | quantity")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "fields":
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "fields needs pod-template or canary-steps")
			os.Exit(2)
		}
		printFields(os.Args[2])
	case "step-hash":
		printStepHashes()
	case "canary-counts":
		printCanaryCounts()
	case "phase":
		printPhases()
	case "validate":
		printValidation()
	case "hash":
		printHashes()
	case "quantity":
		printQuantities()
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}

var (
	quantityType    = reflect.TypeOf(resource.Quantity{})
	timeType        = reflect.TypeOf(metav1.Time{})
	intOrStringType = reflect.TypeOf(intstr.IntOrString{})
	fieldsV1Type    = reflect.TypeOf(metav1.FieldsV1{})
	rawMessageType  = reflect.TypeOf(json.RawMessage{})
	marshalerType   = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

type field struct {
	name  string
	typ   string
	flags int // 1 omitempty, 2 omitzero
}

// typeRef names a Go type in the table's small language: string, bool, int, float, quantity,
// time, intOrString, raw, *T, []T, map[T], or a struct name.
func typeRef(t reflect.Type, structs map[string][]field, queue *[]reflect.Type) string {
	switch t {
	case quantityType:
		return "quantity"
	case timeType:
		return "time"
	case intOrStringType:
		return "intOrString"
	case fieldsV1Type, rawMessageType:
		return "raw"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int"
	case reflect.Float32, reflect.Float64:
		return "float"
	case reflect.Ptr:
		return "*" + typeRef(t.Elem(), structs, queue)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
		return "[]" + typeRef(t.Elem(), structs, queue)
	case reflect.Map:
		return "map[" + typeRef(t.Elem(), structs, queue) + "]"
	case reflect.Struct:
		if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
			panic("a type with its own MarshalJSON needs a rule: " + t.String())
		}
		if _, ok := structs[t.Name()]; !ok {
			structs[t.Name()] = nil
			*queue = append(*queue, t)
		}
		return t.Name()
	}
	panic("unsupported kind " + t.String())
}

// structFields lists a struct's JSON fields in encoding/json order: declaration order, with the
// fields of embedded (anonymous, untagged-name) structs expanded in place.
func structFields(t reflect.Type, structs map[string][]field, queue *[]reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		parts := strings.Split(tag, ",")
		name := parts[0]
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, structFields(f.Type, structs, queue)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		flags := 0
		for _, opt := range parts[1:] {
			if opt == "omitempty" {
				flags |= 1
			}
			if opt == "omitzero" {
				flags |= 2
			}
		}
		out = append(out, field{name, typeRef(f.Type, structs, queue), flags})
	}
	return out
}

var roots = map[string]struct {
	value       any
	description string
	constName   string
}{
	"pod-template": {corev1.PodTemplateSpec{}, "core/v1 PodTemplateSpec (k8s.io/api v0.34.1)", "POD_TEMPLATE_STRUCTS"},
	"canary-steps": {v1alpha1.CanaryStep{}, "Argo Rollouts v1.9.1 CanaryStep", "CANARY_STEP_STRUCTS"},
}

func printFields(rootName string) {
	root, ok := roots[rootName]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown root", rootName)
		os.Exit(2)
	}
	structs := map[string][]field{}
	queue := []reflect.Type{}
	typeRef(reflect.TypeOf(root.value), structs, &queue)
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		structs[t.Name()] = structFields(t, structs, &queue)
	}
	names := make([]string, 0, len(structs))
	for n := range structs {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Printf("// Generated by controller/api/tools/go-json (go run . fields %s). Do not edit.\n", rootName)
	fmt.Printf("// Every struct reachable from %s: its JSON fields in Go encoding/json order as\n", root.description)
	fmt.Println("// [name, type, flags]; flags 1 = omitempty, 2 = omitzero. Types: string, bool, int, float, bytes,")
	fmt.Println("// quantity, time, intOrString, raw (JSON kept as is), *T (pointer), []T (slice), map[T] (string-keyed")
	fmt.Println("// map), or a struct name.")
	fmt.Println("import type { GoStructs } from '../rollout/go-json.ts';")
	fmt.Println()
	fmt.Printf("export const %s: GoStructs = {\n", root.constName)
	for _, n := range names {
		fmt.Printf("  %s: [\n", n)
		for _, f := range structs[n] {
			fmt.Printf("    ['%s', '%s', %d],\n", f.name, f.typ, f.flags)
		}
		fmt.Println("  ],")
	}
	fmt.Println("};")
}

type hashInput struct {
	Template       json.RawMessage `json:"template"`
	CollisionCount *int32          `json:"collisionCount"`
}

func printHashes() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var in hashInput
		if err := json.Unmarshal(scanner.Bytes(), &in); err != nil {
			panic(err)
		}
		// Like upstream's tolerant informer (fromUnstructuredViaJSON): a decoding error is logged
		// and whatever was decoded before it is hashed.
		var template corev1.PodTemplateSpec
		decodeErr := json.Unmarshal(in.Template, &template)
		bytes, err := json.Marshal(&template)
		if err != nil {
			panic(err)
		}
		hasher := fnv.New32a()
		hasher.Write(bytes)
		if in.CollisionCount != nil {
			b := make([]byte, 8)
			binary.LittleEndian.PutUint32(b, uint32(*in.CollisionCount))
			hasher.Write(b)
		}
		result := map[string]any{
			"json": string(bytes),
			"fnv":  hasher.Sum32(),
			"hash": rand.SafeEncodeString(fmt.Sprint(hasher.Sum32())),
		}
		if decodeErr != nil {
			result["decodeError"] = decodeErr.Error()
		}
		out, _ := json.Marshal(result)
		fmt.Println(string(out))
	}
}

// printQuantities decodes each line (a JSON string or number) as a resource.Quantity and prints
// what encoding/json writes for it, or the decoding error.
func printQuantities() {
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		var q resource.Quantity
		if err := json.Unmarshal(scanner.Bytes(), &q); err != nil {
			fmt.Printf("%s\terror: %v\n", scanner.Text(), err)
			continue
		}
		out, _ := json.Marshal(q)
		fmt.Printf("%s\t%s\n", scanner.Text(), out)
	}
}

// printStepHashes reads one JSON steps list per line ("null" for none) and prints upstream's
// conditions.ComputeStepHash for it and the JSON it hashed.
func printStepHashes() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var steps []v1alpha1.CanaryStep
		if err := json.Unmarshal(scanner.Bytes(), &steps); err != nil {
			panic(err)
		}
		ro := &v1alpha1.Rollout{Spec: v1alpha1.RolloutSpec{Strategy: v1alpha1.RolloutStrategy{
			Canary: &v1alpha1.CanaryStrategy{Steps: steps},
		}}}
		bytes, _ := json.Marshal(steps)
		out, _ := json.Marshal(map[string]any{"json": string(bytes), "hash": conditions.ComputeStepHash(ro)})
		fmt.Println(string(out))
	}
}

// canaryRow is one replica-math case: a Rollout, its ReplicaSets, and (traffic-routed) weights.
type canaryRow struct {
	Name     string                   `json:"name"`
	Rollout  v1alpha1.Rollout         `json:"rollout"`
	NewRS    *appsv1.ReplicaSet       `json:"newRS"`
	StableRS *appsv1.ReplicaSet       `json:"stableRS"`
	Others   []*appsv1.ReplicaSet     `json:"others"`
	Weights  *v1alpha1.TrafficWeights `json:"weights"`
}

// printCanaryCounts prints upstream's (canary, stable) counts for each row: the basic canary
// without trafficRouting, the traffic-routed calculation with it.
func printCanaryCounts() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var r canaryRow
		if err := json.Unmarshal(scanner.Bytes(), &r); err != nil {
			panic(err)
		}
		var canary, stable int32
		if r.Rollout.Spec.Strategy.Canary != nil && r.Rollout.Spec.Strategy.Canary.TrafficRouting != nil {
			canary, stable = replicaset.CalculateReplicaCountsForTrafficRoutedCanary(&r.Rollout, r.NewRS, r.StableRS, r.Weights)
		} else {
			canary, stable = replicaset.CalculateReplicaCountsForBasicCanary(&r.Rollout, r.NewRS, r.StableRS, r.Others)
		}
		out, _ := json.Marshal(map[string]any{"name": r.Name, "canary": canary, "stable": stable})
		fmt.Println(string(out))
	}
}

// printPhases prints upstream's controller-side phase and message for each {spec, status} line.
func printPhases() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var ro v1alpha1.Rollout
		if err := json.Unmarshal(scanner.Bytes(), &ro); err != nil {
			panic(err)
		}
		phase, message := rolloututil.CalculateRolloutPhase(ro.Spec, ro.Status)
		out, _ := json.Marshal(map[string]any{"phase": phase, "message": message})
		fmt.Println(string(out))
	}
}

// printValidation prints upstream's spec validation errors (as their Error() strings) per Rollout.
func printValidation() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var ro v1alpha1.Rollout
		if err := json.Unmarshal(scanner.Bytes(), &ro); err != nil {
			panic(err)
		}
		errs := []string{}
		for _, e := range validation.ValidateRollout(&ro) {
			errs = append(errs, e.Error())
		}
		out, _ := json.Marshal(errs)
		fmt.Println(string(out))
	}
}
