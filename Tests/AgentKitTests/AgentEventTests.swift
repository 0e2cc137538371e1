import Testing
@testable import AgentKit

/// Events reach journald as structured fields an admin can filter on (`journalctl GWSETUP_EVENT=uplink-down`).
@Suite struct AgentEventTests {
    @Test func fieldsAreJournaldNames() {
        let event = AgentEvent(name: "uplink-down", message: "uplink down", priority: 4, fields: ["transitions_down": "2", "a-b": "x"])
        #expect(event.journalFields == ["MESSAGE=uplink down", "PRIORITY=4", "SYSLOG_IDENTIFIER=gwsetup-agent", "GWSETUP_EVENT=uplink-down",
                                        "GWSETUP_A_B=x", "GWSETUP_TRANSITIONS_DOWN=2"])
    }
}
