"""Set-up snippets for the Capture tab: point an app's Segment SDK (or RevenueCat's
webhook) at the receiver, filled with its real address (docs: SPEC §9).

Pure text. The write key is never in a snippet: `KEY_PLACEHOLDER` stands in for it, and
the window passes the text through its Presenter before showing or copying it.

What each platform needs, and why:
* analytics-swift and analytics-kotlin build `https://{apiHost}/b` and
  `https://{cdnHost}/projects/{key}/settings`: both hosts point here, and their request
  factory turns the scheme into http (the receiver speaks plain http).
* An iOS simulator shares the Mac's loopback (127.0.0.1); an Android emulator reaches
  the host's loopback as 10.0.2.2; a physical device needs the receiver on the LAN.
* Android refuses cleartext http unless a network-security-config allows the host; ATS
  does not apply to plain IP addresses on iOS, but does to host names.
* RevenueCat posts webhooks only to https URLs: a tunnel (cloudflared, ngrok) gives the
  local receiver one.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.capture.address import LOOPBACK

KEY_PLACEHOLDER = "YOUR_WRITE_KEY"
ANDROID_EMULATOR_HOST = "10.0.2.2"


@dataclass(frozen=True, slots=True)
class Snippet:
    key: str
    title: str
    text: str


def _device(lan: str | None, port: int) -> str:
    return f"{lan}:{port}" if lan else f"THIS_MACHINES_LAN_IP:{port}"


def _device_note(lan: str | None) -> str:
    return "" if lan else " (choose LAN in the Capture tab first)"


def swift(port: int, lan: str | None = None) -> str:
    device = _device(lan, port)
    return f"""\
// analytics-swift → rc-segment-tester's receiver (debug builds only)
#if targetEnvironment(simulator)
let receiver = "{LOOPBACK}:{port}"  // the simulator shares this Mac's loopback
#else
let receiver = "{device}"  // a device: the receiver must listen on the LAN{_device_note(lan)}
#endif
let configuration = Configuration(writeKey: "{KEY_PLACEHOLDER}")
    .apiHost("\\(receiver)/v1")
    .cdnHost("\\(receiver)/v1")
    .requestFactory {{ request in
        // analytics-swift builds https:// URLs; the receiver speaks plain http
        var request = request
        if let url = request.url,
           var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) {{
            parts.scheme = "http"
            request.url = parts.url
        }}
        return request
    }}
let analytics = Analytics(configuration: configuration)

// ATS does not block plain http to an IP address such as {LOOPBACK}; for a host name,
// add NSAppTransportSecurity → NSAllowsLocalNetworking = YES to a debug Info.plist.
// On a device, iOS asks for Local Network access (NSLocalNetworkUsageDescription).
"""


def kotlin(port: int, lan: str | None = None) -> str:
    device = _device(lan, port)
    return f"""\
// analytics-kotlin → rc-segment-tester's receiver (debug builds only)
// The Android emulator reaches this machine's loopback as {ANDROID_EMULATOR_HOST};
// a device uses "{device}"{_device_note(lan)}.
val receiver = "{ANDROID_EMULATOR_HOST}:{port}"

class ReceiverRequests : RequestFactory() {{
    // analytics-kotlin builds https:// URLs; the receiver speaks plain http
    override fun settings(cdnHost: String, writeKey: String): HttpURLConnection =
        openConnection("http://$cdnHost/projects/$writeKey/settings")

    override fun upload(apiHost: String): HttpURLConnection =
        openConnection("http://$apiHost/b").apply {{
            setRequestProperty("Content-Type", "text/plain")
            doOutput = true
            setChunkedStreamingMode(0)
        }}
}}

val analytics = Analytics("{KEY_PLACEHOLDER}", applicationContext) {{
    apiHost = "$receiver/v1"
    cdnHost = "$receiver/v1"
    requestFactory = ReceiverRequests()
}}

// Cleartext http must be allowed for that host, in a debug-only
// res/xml/network_security_config.xml:
//   <network-security-config>
//     <domain-config cleartextTrafficPermitted="true">
//       <domain includeSubdomains="false">{ANDROID_EMULATOR_HOST}</domain>
//     </domain-config>
//   </network-security-config>
// and in AndroidManifest.xml:
//   <application android:networkSecurityConfig="@xml/network_security_config">
"""


def react_native(port: int, lan: str | None = None) -> str:
    device = _device(lan, port)
    return f"""\
// @segment/analytics-react-native → rc-segment-tester's receiver (debug builds only)
import {{ Platform }} from 'react-native';
import {{ createClient }} from '@segment/analytics-react-native';

// Simulator: {LOOPBACK}; Android emulator: {ANDROID_EMULATOR_HOST};
// a device: '{device}'{_device_note(lan)}.
const receiver = Platform.select({{
  ios: 'http://{LOOPBACK}:{port}/v1',
  android: 'http://{ANDROID_EMULATOR_HOST}:{port}/v1',
}});

export const segmentClient = createClient({{
  writeKey: '{KEY_PLACEHOLDER}',
  proxy: receiver,          // events go to {{receiver}}/b
  cdnProxy: receiver,       // settings from {{receiver}}/projects/<key>/settings
  useSegmentEndpoints: true,
}});

// Android needs cleartext http allowed for {ANDROID_EMULATOR_HOST} (network_security_config.xml,
// see the analytics-kotlin snippet); iOS ATS does not block plain IP addresses.
"""


def analytics_js(port: int, lan: str | None = None) -> str:
    host = f"{LOOPBACK}:{port}"
    return f"""\
// analytics.js (@segment/analytics-next) → rc-segment-tester's receiver
import {{ AnalyticsBrowser }} from '@segment/analytics-next';

export const analytics = AnalyticsBrowser.load(
  {{
    writeKey: '{KEY_PLACEHOLDER}',
    cdnURL: 'http://{host}',  // settings from /v1/projects/<key>/settings
  }},
  {{
    integrations: {{
      'Segment.io': {{ apiHost: '{host}/v1', protocol: 'http' }},
    }},
  }},
);

// A page served from another machine uses '{_device(lan, port)}' instead{_device_note(lan)}.
"""


def revenuecat(port: int, lan: str | None = None) -> str:
    del lan  # a tunnel runs on this machine: loopback is enough
    local = f"http://{LOOPBACK}:{port}"
    return f"""\
# RevenueCat posts webhooks only to https URLs: give the receiver one with a tunnel.
cloudflared tunnel --url {local}
#   or: ngrok http {port}

# Then in RevenueCat: Project settings → Integrations → Webhooks → add a webhook:
#   URL:                  https://<the tunnel's host>/revenuecat
#   Authorization header: the value typed in the Capture tab (the receiver answers
#                         401 to any other), or none if that field is blank
# "Send test event" arrives as TEST: recorded, never forwarded (RevenueCat never
# sends TEST to Segment).

# Without a tunnel, post one from this machine (add -H 'Authorization: <the value>'
# when the Capture tab has one):
curl -X POST {local}/revenuecat -H 'Content-Type: application/json' --data \\
  '{{"api_version": "1.0", "event": {{"type": "RENEWAL", "id": "demo-1",
    "app_user_id": "user_1", "event_timestamp_ms": 1700000000000,
    "environment": "PRODUCTION"}}}}'
"""


def snippets(port: int, lan: str | None = None) -> list[Snippet]:
    """Every snippet for a receiver on `port` (`lan`: its LAN address, if it has one)."""
    return [
        Snippet("swift", "analytics-swift (iOS)", swift(port, lan)),
        Snippet("kotlin", "analytics-kotlin (Android)", kotlin(port, lan)),
        Snippet("react_native", "React Native", react_native(port, lan)),
        Snippet("analytics_js", "analytics.js (browser)", analytics_js(port, lan)),
        Snippet("revenuecat", "RevenueCat webhook (tunnel)", revenuecat(port, lan)),
    ]
