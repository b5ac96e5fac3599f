package scheduler

// parseCron is filled in below.
func (l *lexer) parseCron() (Spec, error) {
	return Spec{}, l.errNext("cron fields")
}
