package dev.portier.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The canned output of the simulated device's {@code show} commands. The configuration holds no credential of
 * any kind: it is shown to every user and ends up in recordings.
 */
final class DeviceOutput {

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS 'UTC' EEE MMM d yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private DeviceOutput() {
    }

    static String version(String hostname, Duration uptime) {
        return """
                Portier SimIOS Software (SIM-ADVENTERPRISEK9-M), Version 15.9(3)M-sim, RELEASE SOFTWARE
                Technical Support: none, this is a simulated device for the Portier demo
                Copyright (c) 2026 the Portier authors

                ROM: System Bootstrap, Version 15.9(3r)M-sim
                %s uptime is %s
                System returned to ROM by power-on
                System image file is "flash:sim-adventerprisek9-mz.159-3.M-sim.bin"

                Portier SIM-1100 (virtual) processor with 1015808K/32768K bytes of memory.
                Processor board ID PORTIERSIM01
                4 Gigabit Ethernet interfaces
                256K bytes of non-volatile configuration memory.

                Configuration register is 0x2102
                """.formatted(hostname, uptime(uptime));
    }

    static String runningConfig(String hostname) {
        String body = """
                !
                version 15.9
                service timestamps debug datetime msec
                service timestamps log datetime msec
                !
                hostname %s
                !
                ip domain name demo.portier.invalid
                ip ssh version 2
                !
                interface GigabitEthernet0/0
                 description uplink to core
                 ip address 192.0.2.1 255.255.255.0
                !
                interface GigabitEthernet0/1
                 description lab segment
                 ip address 198.51.100.1 255.255.255.0
                !
                interface GigabitEthernet0/2
                 no ip address
                 shutdown
                !
                interface GigabitEthernet0/3
                 no ip address
                 shutdown
                !
                ip route 0.0.0.0 0.0.0.0 192.0.2.254
                !
                line vty 0 4
                 transport input ssh
                !
                end
                """.formatted(hostname);
        return "Building configuration...\n\nCurrent configuration : "
                + body.getBytes(StandardCharsets.US_ASCII).length + " bytes\n" + body;
    }

    static String ipInterfaceBrief() {
        return """
                Interface              IP-Address      OK? Method Status                Protocol
                GigabitEthernet0/0     192.0.2.1       YES NVRAM  up                    up
                GigabitEthernet0/1     198.51.100.1    YES NVRAM  up                    up
                GigabitEthernet0/2     unassigned      YES NVRAM  administratively down down
                GigabitEthernet0/3     unassigned      YES NVRAM  administratively down down
                """;
    }

    static String clock(Instant now) {
        return "*" + CLOCK.format(now) + "\n";
    }

    private static String uptime(Duration uptime) {
        return uptime.toDays() + " days, " + uptime.toHoursPart() + " hours, " + uptime.toMinutesPart() + " minutes";
    }
}
