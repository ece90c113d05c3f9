// Command lua-runner runs one Argo CD resource-action Lua script (discovery.lua or action.lua)
// on one object, the way argocd-server does: gopher-lua (Lua 5.1) with only the package, base
// and table libraries open (Argo CD also opens a reduced os library, which our scripts do not
// use), the object in the global `obj`, the action parameters in the global table
// `actionParams` (name to string value, as Argo CD 3.1+ passes them), and a one-second limit.
//
// Usage: lua-runner -script FILE [-params '{"name":"value"}'] < object.json
// Prints the script's return value as JSON on stdout. A Lua error goes to stderr, exit code 2.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

func main() {
	script := flag.String("script", "", "Lua file to run")
	params := flag.String("params", "", "action parameters as a JSON object of strings")
	flag.Parse()
	if *script == "" {
		fail(1, "lua-runner: -script is required")
	}
	code, err := os.ReadFile(*script)
	if err != nil {
		fail(1, "lua-runner: reading the script: %v", err)
	}
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(1, "lua-runner: reading the object: %v", err)
	}
	var obj any
	if err := json.Unmarshal(input, &obj); err != nil {
		fail(1, "lua-runner: the object is not JSON: %v", err)
	}
	var actionParams map[string]string
	if *params != "" {
		if err := json.Unmarshal([]byte(*params), &actionParams); err != nil {
			fail(1, "lua-runner: -params is not a JSON object of strings: %v", err)
		}
	}
	out, err := run(string(code), obj, actionParams)
	if err != nil {
		fail(2, "%v", err)
	}
	fmt.Println(string(out))
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(code)
}

func run(code string, obj any, params map[string]string) ([]byte, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	L.SetContext(ctx)
	L.SetGlobal("obj", toLua(L, obj))
	if params != nil {
		table := L.NewTable()
		for name, value := range params {
			table.RawSetString(name, lua.LString(value))
		}
		L.SetGlobal("actionParams", table)
	}
	if err := L.DoString(code); err != nil {
		return nil, err
	}
	result := fromLua(L.Get(-1))
	if after, ok := result.(map[string]any); ok {
		if before, ok := obj.(map[string]any); ok {
			result = restoreEmptyMaps(after, before)
		}
	}
	return json.Marshal(result)
}

// restoreEmptyMaps undoes what a Lua round trip does to an empty map: Lua cannot tell an empty
// table from an empty list, so `{}` comes back as `[]`. Like Argo CD before it computes the
// patch, an empty list where the input had a map becomes that map again, at any depth.
func restoreEmptyMaps(after, before map[string]any) map[string]any {
	for key, value := range after {
		old, ok := before[key]
		if !ok {
			continue
		}
		switch v := value.(type) {
		case map[string]any:
			if o, ok := old.(map[string]any); ok {
				after[key] = restoreEmptyMaps(v, o)
			}
		case []any:
			switch o := old.(type) {
			case map[string]any:
				if len(v) == 0 {
					after[key] = o
				}
			case []any:
				after[key] = restoreEmptyListItems(v, o)
			}
		}
	}
	return after
}

func restoreEmptyListItems(after, before []any) []any {
	for i := range after {
		if i >= len(before) {
			break
		}
		switch v := after[i].(type) {
		case map[string]any:
			if o, ok := before[i].(map[string]any); ok {
				after[i] = restoreEmptyMaps(v, o)
			}
		case []any:
			if o, ok := before[i].([]any); ok {
				after[i] = restoreEmptyListItems(v, o)
			}
		}
	}
	return after
}

func toLua(L *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		table := L.CreateTable(len(v), 0)
		for _, item := range v {
			table.Append(toLua(L, item))
		}
		return table
	case map[string]any:
		table := L.CreateTable(0, len(v))
		for key, item := range v {
			table.RawSetString(key, toLua(L, item))
		}
		return table
	}
	return lua.LNil
}

// fromLua converts like the JSON encoder Argo CD uses: a table with only consecutive integer
// keys from 1 (or no keys at all) is an array, any other table an object.
func fromLua(value lua.LValue) any {
	switch v := value.(type) {
	case lua.LBool:
		return bool(v)
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case lua.LString:
		return string(v)
	case *lua.LTable:
		n := v.MaxN()
		keys := 0
		v.ForEach(func(lua.LValue, lua.LValue) { keys++ })
		if keys == n {
			list := make([]any, 0, n)
			for i := 1; i <= n; i++ {
				list = append(list, fromLua(v.RawGetInt(i)))
			}
			return list
		}
		object := map[string]any{}
		v.ForEach(func(key, item lua.LValue) { object[key.String()] = fromLua(item) })
		return object
	}
	return nil
}
