package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/drover-iot/drover/fleet"
)

// unitStates are every state a unit can be in; drover_unit_state has one
// series per state, 1 for the current one.
var unitStates = []fleet.UnitState{fleet.UnitPending, fleet.UnitRunning, fleet.UnitStopped, fleet.UnitDone, fleet.UnitFailed, fleet.UnitBackoff}

var (
	unitStateDesc = prometheus.NewDesc("drover_unit_state",
		"State of a task or service: 1 for the current state, 0 for the others.",
		[]string{"unit", "kind", "state"}, nil)
	unitRestartsDesc = prometheus.NewDesc("drover_unit_restarts_total",
		"Restarts of a task or service.", []string{"unit", "kind"}, nil)
	unitStartsDesc = prometheus.NewDesc("drover_unit_starts_total",
		"Starts of a task or service.", []string{"unit", "kind"}, nil)
	jobRunsDesc = prometheus.NewDesc("drover_job_runs_total",
		"Runs of a scheduled job.", []string{"job"}, nil)
	jobFailuresDesc = prometheus.NewDesc("drover_job_failures_total",
		"Failed runs of a scheduled job.", []string{"job"}, nil)
	jobSkipsDesc = prometheus.NewDesc("drover_job_skips_total",
		"Runs of a scheduled job skipped because the previous one was still running.", []string{"job"}, nil)
)

type unitCollector struct{ src UnitSource }

func (c unitCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- unitStateDesc
	ch <- unitRestartsDesc
	ch <- unitStartsDesc
}

func (c unitCollector) Collect(ch chan<- prometheus.Metric) {
	for _, u := range c.src.Units() {
		for _, s := range unitStates {
			v := 0.0
			if u.State == s {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(unitStateDesc, prometheus.GaugeValue, v, u.Name, u.Kind, string(s))
		}
		ch <- prometheus.MustNewConstMetric(unitRestartsDesc, prometheus.CounterValue, float64(u.Profile.Restarts), u.Name, u.Kind)
		ch <- prometheus.MustNewConstMetric(unitStartsDesc, prometheus.CounterValue, float64(u.Profile.Starts), u.Name, u.Kind)
	}
}

type jobCollector struct{ src JobSource }

func (c jobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobRunsDesc
	ch <- jobFailuresDesc
	ch <- jobSkipsDesc
}

func (c jobCollector) Collect(ch chan<- prometheus.Metric) {
	for _, j := range c.src.Jobs() {
		ch <- prometheus.MustNewConstMetric(jobRunsDesc, prometheus.CounterValue, float64(j.Runs), j.Name)
		ch <- prometheus.MustNewConstMetric(jobFailuresDesc, prometheus.CounterValue, float64(j.Failures), j.Name)
		ch <- prometheus.MustNewConstMetric(jobSkipsDesc, prometheus.CounterValue, float64(j.Skips), j.Name)
	}
}

var (
	mqttBrokerDesc = prometheus.NewDesc("drover_mqtt_broker_info",
		"The broker the agent is connected to; always 1, absent while offline.", []string{"broker"}, nil)
	mqttConnectedDesc = prometheus.NewDesc("drover_mqtt_connected",
		"1 when the agent is connected to the broker and subscribed.", nil, nil)
	mqttReconnectsDesc = prometheus.NewDesc("drover_mqtt_reconnects_total",
		"Successful reconnections to the broker after the first connection.", nil, nil)
	mqttReceivedDesc = prometheus.NewDesc("drover_mqtt_messages_received_total",
		"MQTT messages received.", nil, nil)
	mqttSentDesc = prometheus.NewDesc("drover_mqtt_messages_sent_total",
		"MQTT messages sent and acknowledged.", nil, nil)
	mqttDroppedDesc = prometheus.NewDesc("drover_mqtt_messages_dropped_total",
		"Outbound MQTT messages dropped (full offline queue, QoS 0 while offline).", nil, nil)
	mqttQueuedDesc = prometheus.NewDesc("drover_mqtt_queue_messages",
		"Messages waiting in the offline queue.", nil, nil)
)

type mqttCollector struct{ src MQTTSource }

func (c mqttCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{mqttBrokerDesc, mqttConnectedDesc, mqttReconnectsDesc, mqttReceivedDesc, mqttSentDesc, mqttDroppedDesc, mqttQueuedDesc} {
		ch <- d
	}
}

func (c mqttCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.MQTTStats()
	connected := 0.0
	if s.Connected {
		connected = 1
	}
	ch <- prometheus.MustNewConstMetric(mqttConnectedDesc, prometheus.GaugeValue, connected)
	if s.Broker != "" {
		ch <- prometheus.MustNewConstMetric(mqttBrokerDesc, prometheus.GaugeValue, 1, s.Broker)
	}
	ch <- prometheus.MustNewConstMetric(mqttReconnectsDesc, prometheus.CounterValue, float64(s.Reconnects))
	ch <- prometheus.MustNewConstMetric(mqttReceivedDesc, prometheus.CounterValue, float64(s.Received))
	ch <- prometheus.MustNewConstMetric(mqttSentDesc, prometheus.CounterValue, float64(s.Sent))
	ch <- prometheus.MustNewConstMetric(mqttDroppedDesc, prometheus.CounterValue, float64(s.Dropped))
	ch <- prometheus.MustNewConstMetric(mqttQueuedDesc, prometheus.GaugeValue, float64(s.Queued))
}

var (
	journalRecordsDesc = prometheus.NewDesc("drover_journal_records_total",
		"Records appended to the journal, by level.", []string{"level"}, nil)
	journalDroppedDesc = prometheus.NewDesc("drover_journal_dropped_total",
		"Journal records lost by slow followers or by the disk copy.", nil, nil)
)

type journalCollector struct{ src JournalSource }

func (c journalCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- journalRecordsDesc
	ch <- journalDroppedDesc
}

func (c journalCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.JournalStats()
	for level, n := range s.Records {
		ch <- prometheus.MustNewConstMetric(journalRecordsDesc, prometheus.CounterValue, float64(n), level)
	}
	ch <- prometheus.MustNewConstMetric(journalDroppedDesc, prometheus.CounterValue, float64(s.Dropped))
}
