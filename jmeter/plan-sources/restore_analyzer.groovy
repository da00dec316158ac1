// runs even when the plan was stopped early, so the analyzer never stays failed
lines << ('control: ' + control(vars.get('analyzer_control_url'), 'mode=normal'))
finish()
