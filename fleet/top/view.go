package top

// View draws the current screen in exactly the terminal's height.
func (m *Model) View() string {
	if m.detail != nil {
		return m.deviceView()
	}
	return m.tableView()
}

// footer is the last line: the prompt being typed, the question being
// asked, the latest message, or the keys of the current view.
func (m *Model) footer() string {
	switch {
	case m.mode == modeFilter && m.note != "":
		return m.theme.notice.Render(m.fit("/"+clean(m.filter.edit)+"_  "+clean(m.note), m.width, false))
	case m.mode == modeFilter:
		return m.fit("/"+clean(m.filter.edit)+"_  selector k=v[,k=v], enter apply, esc cancel", m.width, false)
	case m.mode == modeConfirm:
		return m.theme.notice.Render(m.fit(clean(m.ask.prompt)+" [y/N]", m.width, false))
	case m.note != "":
		return m.theme.notice.Render(m.fit(clean(m.note), m.width, false))
	case m.detail != nil:
		return m.theme.dim.Render(m.fit(m.arrows()+" move  r restart  s stop  x run job  esc back  ctrl+c quit", m.width, false))
	}
	return m.theme.dim.Render(m.fit(m.arrows()+" move  enter open  / filter  s sort  S reverse  q quit", m.width, false))
}

func (m *Model) arrows() string { return m.theme.up + m.theme.down }
