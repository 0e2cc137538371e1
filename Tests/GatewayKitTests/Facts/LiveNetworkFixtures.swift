/// What a converged Debian 12 gateway of single-gateway.yaml prints, in the shapes iproute2 6.1 and batctl 2023.0
/// print them (one line each; `ip -j` and batctl's JSON never break lines), for the reader and planner tests.
enum LiveNetworkFixtures {
    static let loopback = #"{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","promiscuity":0,"min_mtu":0,"max_mtu":0,"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"::1","prefixlen":128,"scope":"host","valid_life_time":4294967295,"preferred_life_time":4294967295}]}"#

    static let uplink = #"{"ifindex":2,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"fq_codel","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"52:54:00:12:34:56","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"min_mtu":68,"max_mtu":65535,"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"parentbus":"virtio","parentdev":"virtio0","addr_info":[{"family":"inet","local":"192.0.2.10","prefixlen":24,"metric":100,"broadcast":"192.0.2.255","scope":"global","dynamic":true,"label":"eth0","valid_life_time":86117,"preferred_life_time":86117},{"family":"inet6","local":"fe80::5054:ff:fe12:3456","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]}"#

    static func bridge(addresses: [String] = [ipv4Address, ipv6Address, linkLocal], snooping: Int = 1, flags: String = #""NO-CARRIER","BROADCAST","MULTICAST","UP""#) -> String {
        #"{"ifindex":4,"ifname":"br-ffx","flags":[\#(flags)],"mtu":1280,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:4b:7e:1c:9a:30","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_time":200,"max_age":2000,"ageing_time":30000,"stp_state":0,"priority":32768,"vlan_filtering":0,"vlan_protocol":"802.1Q","bridge_id":"8000.2:4b:7e:1c:9a:30","root_id":"8000.2:4b:7e:1c:9a:30","root_port":0,"root_path_cost":0,"topology_change":0,"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":146.21,"vlan_default_pvid":1,"vlan_stats_enabled":0,"vlan_stats_per_port":0,"group_fwd_mask":"0","group_addr":"01:80:c2:00:00:00","mcast_snooping":\#(snooping),"no_linklocal_learn":0,"mcast_vlan_snooping":0,"mcast_router":1,"mcast_query_use_ifaddr":0,"mcast_querier":0,"mcast_hash_elasticity":16,"mcast_hash_max":4096,"mcast_last_member_cnt":2,"mcast_startup_query_cnt":2,"mcast_last_member_intvl":100,"mcast_membership_intvl":26000,"mcast_querier_intvl":25500,"mcast_query_intvl":12500,"mcast_query_response_intvl":1000,"mcast_startup_query_intvl":3125,"mcast_stats_enabled":0,"mcast_igmp_version":2,"mcast_mld_version":1,"nf_call_iptables":0,"nf_call_ip6tables":0,"nf_call_arptables":0}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"addr_info":[\#(addresses.joined(separator: ","))]}"#
    }

    static let ipv4Address = #"{"family":"inet","local":"10.99.0.1","prefixlen":16,"broadcast":"10.99.255.255","scope":"global","label":"br-ffx","valid_life_time":4294967295,"preferred_life_time":4294967295}"#
    static let ipv6Address = #"{"family":"inet6","local":"fd99:1234:5678::1","prefixlen":64,"scope":"global","valid_life_time":4294967295,"preferred_life_time":4294967295}"#
    static let linkLocal = #"{"family":"inet6","local":"fe80::4b:7eff:fe1c:9a30","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}"#

    static func batman(master: String? = "br-ffx", flags: String = #""BROADCAST","MULTICAST","UP","LOWER_UP""#) -> String {
        let masterField = master.map { #""master":"\#($0)","# } ?? ""
        return #"{"ifindex":5,"ifname":"bat-ffx","flags":[\#(flags)],"mtu":1280,"qdisc":"noqueue",\#(masterField)"operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"ether","address":"de:ad:be:ef:01:02","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":1,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"batadv","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding","priority":32,"cost":100,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8001","no":"0x1","designated_port":32769,"designated_cost":0,"bridge_id":"8000.2:4b:7e:1c:9a:30","root_id":"8000.2:4b:7e:1c:9a:30","hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":0.00,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false}},"inet6_addr_gen_mode":"none","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"addr_info":[]}"#
    }

    static func vpn(master: String? = "bat-ffx", flags: String = #""BROADCAST","MULTICAST","UP","LOWER_UP""#) -> String {
        let masterField = master.map { #""master":"\#($0)","# } ?? ""
        return #"{"ifindex":6,"ifname":"vpn-ffx","flags":[\#(flags)],"mtu":1312,"qdisc":"fq_codel",\#(masterField)"operstate":"UNKNOWN","group":"default","txqlen":500,"link_type":"ether","address":"6e:21:9c:4d:0b:77","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"min_mtu":68,"max_mtu":65521,"linkinfo":{"info_kind":"tun","info_data":{"type":"tap","pi":false,"vnet_hdr":false,"multi_queue":false,"persist":false,"user":"fastd"},"info_slave_kind":"batadv"},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"addr_info":[{"family":"inet6","local":"fe80::6c21:9cff:fe4d:b77","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]}"#
    }

    /// A multi-TAP peer's L2TP session interface as `ip -j -d addr show` printed it on a Debian 12 guest (kernel
    /// 6.1.0-57, iproute2 6.1) running the rendered fastd.conf of l2tp-offload.yaml: l2tp_eth gives no `info_kind`,
    /// only batman-adv's `info_slave_kind`. `name` and `master` are the parts the tests vary.
    static func l2tpPeer(name: String, master: String? = "bat-ffl") -> String {
        let masterField = master.map { #""master":"\#($0)","# } ?? ""
        return #"{"ifindex":8,"ifname":"\#(name)","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1312,"qdisc":"fq_codel",\#(masterField)"operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"ether","address":"76:1c:e2:5a:10:83","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":0,"max_mtu":65535,"linkinfo":{"info_slave_kind":"batadv"},"num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":65536,"tso_max_segs":65535,"gro_max_size":65536,"addr_info":[{"family":"inet6","local":"fe80::741c:e2ff:fe5a:1083","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]}"#
    }

    static func ipLinks(_ links: [String]) -> String { "[" + links.joined(separator: ",") + "]" }

    static let converged = ipLinks([loopback, uplink, bridge(), batman(), vpn()])

    /// `batctl meshif bat-ffx mesh_json` of batman-adv on Debian 12's kernel 6.1, set up by networkd from the netdev file.
    static func meshJSON(algorithm: String = "BATMAN_IV", gwMode: String = "server", down: Int = 1000, up: Int = 1000, hopPenalty: Int = 60,
                         origInterval: Int = 5000, forceflood: Bool = false) -> String {
        #"{"version":"2022.3","algo_name":"\#(algorithm)","mesh_ifindex":5,"mesh_ifname":"bat-ffx","mesh_address":"de:ad:be:ef:01:02","hard_ifindex":6,"hard_ifname":"vpn-ffx","hard_address":"6e:21:9c:4d:0b:77","tt_ttvn":3,"bla_crc":47104,"mcast_flags":{"all_unsnoopables":true,"want_all_ipv4":false,"want_all_ipv6":false,"want_no_rtr_ipv4":true,"want_no_rtr_ipv6":false,"raw":9},"mcast_flags_priv":{"bridged":true,"querier_ipv4_exists":false,"querier_ipv6_exists":false,"querier_ipv4_shadowing":false,"querier_ipv6_shadowing":false,"raw":1},"aggregated_ogms_enabled":true,"ap_isolation_enabled":false,"isolation_mark":0,"isolation_mask":0,"bonding_enabled":false,"bridge_loop_avoidance_enabled":true,"distributed_arp_table_enabled":true,"fragmentation_enabled":true,"gw_bandwidth_down":\#(down),"gw_bandwidth_up":\#(up),"gw_mode":"\#(gwMode)","gw_sel_class":20,"hop_penalty":\#(hopPenalty),"log_level":{"batman":false,"routes":false,"tt":false,"bla":false,"dat":false,"nc":false,"mcast":false,"tp":false,"raw":0},"multicast_forceflood_enabled":\#(forceflood),"network_coding_enabled":false,"orig_interval":\#(origInterval),"multicast_fanout":16}"#
    }

    /// The probe's network records as the parser sees them between header and trailer.
    static func records(ip: String = converged, mesh: String? = meshJSON(), drained: Bool = false) -> String {
        var lines = ["N", "n\t" + ip]
        if drained { lines.append("D") }
        if let mesh { lines.append("B\tbat-ffx\t" + mesh) }
        return lines.joined(separator: "\n")
    }
}
