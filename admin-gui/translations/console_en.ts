<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
  <context>
    <name>Console::AuditFormat</name>
    <message>
      <source>No recorded change of state.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Before</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>After</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::AuditScreen</name>
    <message>
      <source>Seq</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Time</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Actor</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Action</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Request</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Source</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hash</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Since</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Until</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Load &amp;more</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n row(s)</source>
      <translation>
        <numerusform>%n row</numerusform>
        <numerusform>%n rows</numerusform>
      </translation>
    </message>
    <message>
      <source>actor id</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>action or prefix (user.)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>post, user, queue_item…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>target id</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Filter</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Verify chain</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Loading…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Verifying…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>✔ Chain intact: %1 rows checked, last #%2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>✘ Chain broken at #%1: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Export the audit log</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CSV (*.csv);;JSON (*.json)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Exporting…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Export failed: %1</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n row(s) exported to %1</source>
      <translation>
        <numerusform>%n row exported to %1</numerusform>
        <numerusform>%n rows exported to %1</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::ChaosScreen</name>
    <message>
      <source>&amp;Hold while this console is connected</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>All &amp;nodes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Inject</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Clear selected</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Stop all</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kind</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Parameters</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Expires</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Held</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>by this console</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>by another session</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hits</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>By</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Id</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>/v1/posts/* (outbound: smtp, push, sms, s3)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>any plugin</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>this node</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Route</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Plugin</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Node</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Users</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Probability</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Delay</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Jitter</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Status</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Rate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Time limit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>New fault</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Chaos is enabled on node %1: %n active fault(s).</source>
      <translation>
        <numerusform>Chaos is enabled on node %1: %n active fault.</numerusform>
        <numerusform>Chaos is enabled on node %1: %n active faults.</numerusform>
      </translation>
    </message>
    <message>
      <source>Chaos is disabled on node %1 (chaos.enabled is off): nothing can be injected.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Opening this console's lease…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No lease, nothing injected: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Injecting %1…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 not injected: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Injected %1 (%2), until %3.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 not cleared: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cleared %1.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stopping every fault…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stop all failed: %1</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Stopped: %n fault(s) cleared.</source>
      <translation>
        <numerusform>Stopped: %n fault cleared.</numerusform>
        <numerusform>Stopped: %n faults cleared.</numerusform>
      </translation>
    </message>
    <message>
      <source>This console's lease lapsed: the faults it held were cleared.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>plugin %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1% of users</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>all nodes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>node %1</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n connection(s)</source>
      <translation>
        <numerusform>%n connection</numerusform>
        <numerusform>%n connections</numerusform>
      </translation>
    </message>
    <message>
      <source> B/s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source> ms</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source> s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 B/s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 ms</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 ± %2 ms</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>probability %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>status %1</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::DashboardScreen</name>
    <message>
      <source>Last minute</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Last 5 minutes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Last 15 minutes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Last hour</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Window:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Requests per second by area</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>p99 latency by area (ms)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Errors per second</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>WebSocket connections</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>DB pool and worker queue</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Event lag (largest)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Waiting for samples…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>all</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>4xx</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>5xx</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>connections</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>in use</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>pool size</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>worker queue</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>events behind</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n sample(s) · %1 req/s · %2 sockets</source>
      <translation>
        <numerusform>%n sample · %1 req/s · %2 sockets</numerusform>
        <numerusform>%n samples · %1 req/s · %2 sockets</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::DecisionPanel</name>
    <message>
      <source>&amp;Decide</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Actions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason (required)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Presets</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>approve the report (hide)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>reject the report (dismiss)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ignore (next item)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>mark / mark range</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>claim or release</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source> d</source>
      <comment>days of suspension</comment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>bulk: preview the marked items, then apply</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::DecisionPresets</name>
    <message>
      <source>Dismiss the reports</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hide</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Remove</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Restore</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Warn the author</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Suspend the author</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ban the author</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spam: remove</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spam or advertising.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hide + silence (1-day suspension)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hidden while the author cools off.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Harassment: remove + warn</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Harassment of another member.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Repeated harassment: remove + 7 days</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Repeated harassment after a warning.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Illegal content: remove + ban</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Illegal content.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Off-topic: hide</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Off-topic for this community.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not a violation: dismiss</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reviewed: no rule was broken.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Restored after review.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Warn only</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Please keep to the community rules.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Choose at least one action.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>At most eight actions.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dismiss goes alone.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A suspension lasts 1 to 3650 days.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give a reason.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::ItemContext</name>
    <message>
      <source>Reports (%1)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>reporter</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Notes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Author:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>state</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>in</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The thread around it</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The author's recent posts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Claimed by %1 until %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Loading the reported text…</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::JsonTableModel</name>
    <message>
      <source>yes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::MainWindow</name>
    <message>
      <source>Community console</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Review queue (g q)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Users (g u)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Audit log (g a)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dashboard (g d)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Chaos (g c)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 at %2 · server %3</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Migrations (g m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>User record (g r)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Settings (g s)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>g … (q: review queue, u: users, a: audit log, d: dashboard, c: chaos, m: migrations, r: user record, s: settings)</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::MetricsModel</name>
    <message>
      <source>Time</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Requests/s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>4xx/s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>5xx/s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>WebSockets</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>DB pool in use</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Worker queue</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Event lag</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::ReviewQueueScreen</name>
    <message>
      <source>Priority</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kind</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reasons</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reports</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Held by</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Opened</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Open</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Resolved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Queue:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Report upheld.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Report rejected: no rule was broken.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item %1 ignored for now.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>● live</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>○ offline</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n item(s) in the queue</source>
      <translation>
        <numerusform>%n item in the queue</numerusform>
        <numerusform>%n items in the queue</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n item(s) marked</source>
      <translation>
        <numerusform>%n item marked</numerusform>
        <numerusform>%n items marked</numerusform>
      </translation>
    </message>
    <message>
      <source>Still sending the last decision…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing selected.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item %1: sending %2…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item %1 not decided: %2</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Item %1: %2 — %n reporter(s) notified.</source>
      <translation>
        <numerusform>Item %1: %2 — %n reporter notified.</numerusform>
        <numerusform>Item %1: %2 — %n reporters notified.</numerusform>
      </translation>
    </message>
    <message>
      <source>Item %1: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item %1 released.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item %1 is yours for a few minutes.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n item(s) match “%1”</source>
      <translation>
        <numerusform>%n item match “%1”</numerusform>
        <numerusform>%n items match “%1”</numerusform>
      </translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Search (/): words, post/comment/chat_message, spam/harassment/off-topic/illegal/other</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Bulk: %n item(s) decided.</source>
      <translation>
        <numerusform>Bulk: %n item decided.</numerusform>
        <numerusform>Bulk: %n items decided.</numerusform>
      </translation>
    </message>
    <message>
      <source>Bulk: %1 decided, %2 refused (still marked).</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Bulk preview: %n item(s).</source>
      <translation>
        <numerusform>Bulk preview: %n item.</numerusform>
        <numerusform>Bulk preview: %n items.</numerusform>
      </translation>
    </message>
    <message>
      <source>Item %1 was released.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item %1 is now held by %2.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::ScreenshotRun</name>
    <message>
      <source>Cannot write %1</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::Session</name>
    <message>
      <source>The server runs version %1; this console is version %2. Screens may miss or misread what changed between them.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sign in with your password first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The server answered the sign-in without a token.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::SignInDialog</name>
    <message>
      <source>Sign in to a community</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>6-digit code or a recovery code</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Username</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Password</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>2FA &amp;code</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Operator &amp;token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Account</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Operator</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sign in</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Server</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Enter the code from your authenticator app.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The server must be an http(s) URL.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Signing in…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>(none)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Con&amp;text</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::UsersScreen</name>
    <message>
      <source>Username</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Email</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Role</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>State</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Created</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Suspend</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>U&amp;nsuspend</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Load &amp;more</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Search username or email (/)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason (required to suspend)</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n account(s) shown</source>
      <translation>
        <numerusform>%n account shown</numerusform>
        <numerusform>%n accounts shown</numerusform>
      </translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give a reason: the account holder is shown it.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1: sending…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 not changed: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 suspended.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 unsuspended.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Open &amp;record (Enter)</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::MediaStrip</name>
    <message numerus="yes">
      <source>%n could not be shown</source>
      <translation>
        <numerusform>%n could not be shown</numerusform>
        <numerusform>%n could not be shown</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n image(s)</source>
      <translation>
        <numerusform>%n image</numerusform>
        <numerusform>%n images</numerusform>
      </translation>
    </message>
    <message>
      <source>&amp;Blur (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Greyscale (Shift+M)</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Loading %n image(s)…</source>
      <translation>
        <numerusform>Loading %n image…</numerusform>
        <numerusform>Loading %n images…</numerusform>
      </translation>
    </message>
    <message>
      <source>Media:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>filtered</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unfiltered</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::MigrationsScreen</name>
    <message>
      <source>%1: %2 applied, %3 pending</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n changed since applied</source>
      <translation>
        <numerusform>%n changed since applied</numerusform>
        <numerusform>%n changed since applied</numerusform>
      </translation>
    </message>
    <message>
      <source>&amp;Apply the plan…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Plan (p)</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Applied %n migration(s).</source>
      <translation>
        <numerusform>Applied %n migration.</numerusform>
        <numerusform>Applied %n migrations.</numerusform>
      </translation>
    </message>
    <message>
      <source>Applied at</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Apply %n migration(s) now?

%1</source>
      <translation>
        <numerusform>Apply %n migration now?

%1</numerusform>
        <numerusform>Apply %n migrations now?

%1</numerusform>
      </translation>
    </message>
    <message>
      <source>Apply migrations</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Applying %n migration(s)…</source>
      <translation>
        <numerusform>Applying %n migration…</numerusform>
        <numerusform>Applying %n migrations…</numerusform>
      </translation>
    </message>
    <message>
      <source>Asking the server for its plan…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CHANGED since applied</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Checksum</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Make a plan first (p): only a plan you have seen is applied.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Migrations failed: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Migrations not loaded: %1 (this screen needs the operator token)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No plan: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No plugin ships migrations.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not applied.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing to apply: every migration is applied.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Plan: what a run would apply</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Plugin</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runs are serialised across nodes by a database lock; the server does not report who holds it.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>State</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>The plan lists %n migration(s).</source>
      <translation>
        <numerusform>The plan lists %n migration.</numerusform>
        <numerusform>The plan lists %n migrations.</numerusform>
      </translation>
    </message>
    <message>
      <source>Version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>applied</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>pending</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::RequestProgress</name>
    <message>
      <source>Cancel (Esc)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The server did not answer in time (%1).</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Waiting for the server: %n request(s), %1 s — Esc cancels</source>
      <translation>
        <numerusform>Waiting for the server: %n request, %1 s — Esc cancels</numerusform>
        <numerusform>Waiting for the server: %n requests, %1 s — Esc cancels</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::UserRecordScreen</name>
    <message>
      <source>%1 is now %2.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 not changed: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 suspended.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 unsuspended.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1's record.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1: sending…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;End every session (resets the password)…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Profile</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Revoke the selected session</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Suspend</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>About</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Active</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Address</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Against</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ban evasion with another account.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Choose an account on the users screen (Enter).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Client</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Created</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Display name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Email</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Email verified</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>End every session of %1? Its password is replaced by a one-time password that you must pass on.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ends</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Every session of %1 ended. One-time password: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Excerpt</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Followers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Following</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give a reason: the account holder is shown it.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Given</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Given by</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Harassment of other members.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Id</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Illegal content.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kind</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Last seen</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Lifted</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Loading %1's record…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing changed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reason (shown to the account holder)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Repeated rule violations after warnings.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Report</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reporter</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reports &amp;filed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reports not loaded: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reports recei&amp;ved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Role</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sess&amp;ions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Session</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Session %1 not revoked: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Session %1 revoked.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Set &amp;role</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spam or advertising.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Started</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>State</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Strikes and &amp;penalties</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Suspended because</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Suspension</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The server lists sessions only to their owner. Suspending %1 refuses its requests; ending every session resets the password.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This console</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>U&amp;nsuspend</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>User record</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Your sessions. Revoking the one marked as this console signs the console out.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>admin</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>moderator</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>user</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Console::SettingsScreen</name>
    <message>
      <source>default</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>file</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>runtime</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>environment</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>--set flag</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>pending: restart required</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>restart required</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>live</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Key</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Type</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Value</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Default</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Source</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>State</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Read-only because</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Only keys that differ from their &amp;default (d)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Check and save…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Reset to file/default…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Search keys and descriptions (/)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Why (required; kept in the audit log)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>New value</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Selected key</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Value</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Rea&amp;son</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Import…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Last import:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Settings not loaded: %1 (this screen needs an administrator)</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n key(s)</source>
      <translation>
        <numerusform>%n key</numerusform>
        <numerusform>%n keys</numerusform>
      </translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>set</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unset</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No diff: %1</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n key(s) differ from their default</source>
      <translation>
        <numerusform>%n key differ from their default</numerusform>
        <numerusform>%n keys differ from their default</numerusform>
      </translation>
    </message>
    <message>
      <source>No key selected.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Type: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Default: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Source: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;b&gt;Pending&lt;/b&gt;: in force until the next start is %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A secret: only whether it is set is shown; set or unset it in the configuration file or the environment.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;b&gt;Read-only&lt;/b&gt;: %1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give a reason first: it goes into the audit log.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This key cannot be changed here.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1: asking the server to check the value…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 not changed: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 already has this value.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1: %2 → %3 (default %4; now from %5). %6</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Takes effect after a restart.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Takes effect at once.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Save this change?

%1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not saved.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1: saving…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 saved; it takes effect after a restart.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 saved and in force.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 has no runtime value to remove.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Remove the runtime value of %1 (%2)? The file's value or the default (%3) applies again.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not reset.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 not reset: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 reset.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Export the runtime settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>JSON (*.json)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Import settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not exported: %1</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n runtime value(s) exported to %1</source>
      <translation>
        <numerusform>%n runtime value exported to %1</numerusform>
        <numerusform>%n runtime values exported to %1</numerusform>
      </translation>
    </message>
    <message>
      <source>Cannot read %1: %2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 is larger than the server takes (256 KiB).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 is not a settings export ({"settings": {…}}).</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Import %n key(s) from %1? All are checked first: one refused key and nothing is written.</source>
      <translation>
        <numerusform>Import %n key from %1? All are checked first: one refused key and nothing is written.</numerusform>
        <numerusform>Import %n keys from %1? All are checked first: one refused key and nothing is written.</numerusform>
      </translation>
    </message>
    <message>
      <source>Not imported.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Importing %n key(s)…</source>
      <translation>
        <numerusform>Importing %n key…</numerusform>
        <numerusform>Importing %n keys…</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Nothing was written: the server refused %n key(s).</source>
      <translation>
        <numerusform>Nothing was written: the server refused %n key.</numerusform>
        <numerusform>Nothing was written: the server refused %n keys.</numerusform>
      </translation>
    </message>
    <message>
      <source>Import refused; nothing was written.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Imported: every value was already in force; nothing changed.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>Imported: %n key(s) changed.</source>
      <translation>
        <numerusform>Imported: %n key changed.</numerusform>
        <numerusform>Imported: %n keys changed.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Import done: %n key(s) changed.</source>
      <translation>
        <numerusform>Import done: %n key changed.</numerusform>
        <numerusform>Import done: %n keys changed.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::BulkPreview</name>
    <message>
      <source>no decision yet: press 1–9 on the row</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Item</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Held by</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>%1 (will likely refuse)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Decision</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Result</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Apply to every row (Enter)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Bulk decision: preview</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Each row gets the decision shown; 1–9 give the selected row a preset instead. One request is sent per item; a refusal does not stop the others.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>%n item(s) ready to send</source>
      <translation>
        <numerusform>%n item ready to send</numerusform>
        <numerusform>%n items ready to send</numerusform>
      </translation>
    </message>
    <message>
      <source>%1 decided, %2 refused</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing to send: give each row a decision (1–9) first.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <source>decided — %n reporter(s) notified</source>
      <translation>
        <numerusform>decided — %n reporter notified</numerusform>
        <numerusform>decided — %n reporters notified</numerusform>
      </translation>
    </message>
  </context>
</TS>