package config

import (
	"fmt"
	"strings"
)

// SensorsArg is the args key of a sensor service listing its sensors.
const SensorsArg = "sensors"

// ServiceSensors returns the sensor names a sensor service lists in
// args.sensors, and whether the list is present and well formed (a list
// of strings). No list means "every sensor no other sensor service names".
func (s Service) ServiceSensors() (names []string, listed bool, ok bool) {
	v, listed := s.Args[SensorsArg]
	if !listed {
		return nil, false, true
	}
	list, isList := v.([]any)
	if !isList {
		return nil, true, false
	}
	for _, e := range list {
		name, isStr := e.(string)
		if !isStr {
			return nil, true, false
		}
		names = append(names, name)
	}
	return names, true, true
}

// checkSensorServices reports sensor services naming unknown sensors, or
// a sensor named by two services.
func (c *Config) checkSensorServices(p *Problems) {
	known := map[string]bool{}
	for _, s := range c.Sensors {
		known[s.Name] = true
	}
	owner := map[string]string{}
	for i, s := range c.Services {
		if s.Kind != KindSensor {
			continue
		}
		path := fmt.Sprintf("services[%d].args.sensors", i)
		names, _, ok := s.ServiceSensors()
		if !ok {
			p.Add(c.pos, path, "must be a list of sensor names")
		}
		for _, n := range names {
			switch prev, dup := owner[n]; {
			case !known[n] && (c.Sensors != nil || n != "system"):
				p.Add(c.pos, path, "no sensor named %q", n)
			case dup:
				p.Add(c.pos, path, "sensor %q is already sampled by service %q", n, prev)
			default:
				owner[n] = s.Name
			}
		}
	}
}

func (c *Config) checkHomeAssistant(p *Problems) {
	pre := c.HomeAssistant.Prefix
	if pre == "" || strings.ContainsAny(pre, "+#") || strings.HasPrefix(pre, "/") || strings.HasSuffix(pre, "/") {
		p.Add(c.pos, "homeassistant.prefix", "%q is not a topic prefix: no '+', '#', and no leading or trailing '/'", pre)
	}
}

// sensorAt returns the path of the sensor item holding line.
func (c *Config) sensorAt(line int) string {
	path := "sensors"
	for i, s := range c.Sensors {
		if s.Node.Line <= line {
			path = fmt.Sprintf("sensors[%d]", i)
		}
	}
	return path
}
