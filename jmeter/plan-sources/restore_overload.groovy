// runs even when the plan was stopped early, so the analyzers never stay slow
vars.get('analyzer_control_urls').split(',')*.trim().findAll { it }.each { origin ->
    try {
        lines << ('control: ' + control(origin, 'mode=normal'))
    } catch (Exception e) {
        expect(false, 'switch ' + origin + ' back to normal: ' + e)
    }
}
finish()
