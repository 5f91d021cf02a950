<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
  <context>
    <name>Console::AuditFormat</name>
    <message>
      <source>No recorded change of state.</source>
      <translation>기록된 상태 변화가 없습니다.</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>항목</translation>
    </message>
    <message>
      <source>Before</source>
      <translation>이전</translation>
    </message>
    <message>
      <source>After</source>
      <translation>이후</translation>
    </message>
  </context>
  <context>
    <name>Console::AuditScreen</name>
    <message>
      <source>Seq</source>
      <translation>순번</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>시각</translation>
    </message>
    <message>
      <source>Actor</source>
      <translation>수행자</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>작업</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>사유</translation>
    </message>
    <message>
      <source>Reason:</source>
      <translation>사유:</translation>
    </message>
    <message>
      <source>Request</source>
      <translation>요청</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>출처</translation>
    </message>
    <message>
      <source>Hash</source>
      <translation>해시</translation>
    </message>
    <message>
      <source>Since</source>
      <translation>시작</translation>
    </message>
    <message>
      <source>Until</source>
      <translation>끝</translation>
    </message>
    <message>
      <source>Load &amp;more</source>
      <translation>더 불러오기(&amp;M)</translation>
    </message>
    <message numerus="yes">
      <source>%n row(s)</source>
      <translation>
        <numerusform>%n행</numerusform>
      </translation>
    </message>
    <message>
      <source>actor id</source>
      <translation>수행자 ID</translation>
    </message>
    <message>
      <source>action or prefix (user.)</source>
      <translation>작업 또는 접두어 (user.)</translation>
    </message>
    <message>
      <source>post, user, queue_item…</source>
      <translation>post, user, queue_item…</translation>
    </message>
    <message>
      <source>target id</source>
      <translation>대상 ID</translation>
    </message>
    <message>
      <source>&amp;Filter</source>
      <translation>필터(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Verify chain</source>
      <translation>체인 검증(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>불러오는 중…</translation>
    </message>
    <message>
      <source>Verifying…</source>
      <translation>검증 중…</translation>
    </message>
    <message>
      <source>✔ Chain intact: %1 rows checked, last #%2</source>
      <translation>✔ 체인 정상: %1행 검사, 마지막 #%2</translation>
    </message>
    <message>
      <source>✘ Chain broken at #%1: %2</source>
      <translation>✘ #%1에서 체인 손상: %2</translation>
    </message>
    <message>
      <source>Export the audit log</source>
      <translation>감사 로그 내보내기</translation>
    </message>
    <message>
      <source>CSV (*.csv);;JSON (*.json)</source>
      <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
      <source>Exporting…</source>
      <translation>내보내는 중…</translation>
    </message>
    <message>
      <source>Export failed: %1</source>
      <translation>내보내기 실패: %1</translation>
    </message>
    <message numerus="yes">
      <source>%n row(s) exported to %1</source>
      <translation>
        <numerusform>%n행을 %1 파일로 내보냈습니다</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::ChaosScreen</name>
    <message>
      <source>&amp;Hold while this console is connected</source>
      <translation>이 콘솔이 연결된 동안만 유지(&amp;H)</translation>
    </message>
    <message>
      <source>All &amp;nodes</source>
      <translation>모든 노드(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Inject</source>
      <translation>주입(&amp;I)</translation>
    </message>
    <message>
      <source>&amp;Clear selected</source>
      <translation>선택 해제(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Stop all</source>
      <translation>모두 중지(&amp;S)</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>종류</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>Parameters</source>
      <translation>매개변수</translation>
    </message>
    <message>
      <source>Expires</source>
      <translation>만료</translation>
    </message>
    <message>
      <source>Held</source>
      <translation>유지</translation>
    </message>
    <message>
      <source>no</source>
      <translation>아니요</translation>
    </message>
    <message>
      <source>by this console</source>
      <translation>이 콘솔</translation>
    </message>
    <message>
      <source>by another session</source>
      <translation>다른 세션</translation>
    </message>
    <message>
      <source>Hits</source>
      <translation>적중</translation>
    </message>
    <message>
      <source>By</source>
      <translation>생성자</translation>
    </message>
    <message>
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>/v1/posts/* (outbound: smtp, push, sms, s3)</source>
      <translation>/v1/posts/* (외부 호출: smtp, push, sms, s3)</translation>
    </message>
    <message>
      <source>any plugin</source>
      <translation>모든 플러그인</translation>
    </message>
    <message>
      <source>this node</source>
      <translation>이 노드</translation>
    </message>
    <message>
      <source>Route</source>
      <translation>경로</translation>
    </message>
    <message>
      <source>Plugin</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Node</source>
      <translation>노드</translation>
    </message>
    <message>
      <source>Users</source>
      <translation>사용자</translation>
    </message>
    <message>
      <source>Probability</source>
      <translation>확률</translation>
    </message>
    <message>
      <source>Delay</source>
      <translation>지연</translation>
    </message>
    <message>
      <source>Jitter</source>
      <translation>지터</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>상태 코드</translation>
    </message>
    <message>
      <source>Rate</source>
      <translation>속도</translation>
    </message>
    <message>
      <source>Time limit</source>
      <translation>제한 시간</translation>
    </message>
    <message>
      <source>New fault</source>
      <translation>새 장애</translation>
    </message>
    <message numerus="yes">
      <source>Chaos is enabled on node %1: %n active fault(s).</source>
      <translation>
        <numerusform>노드 %1에서 카오스가 켜져 있습니다: 활성 장애 %n개.</numerusform>
      </translation>
    </message>
    <message>
      <source>Chaos is disabled on node %1 (chaos.enabled is off): nothing can be injected.</source>
      <translation>노드 %1에서 카오스가 꺼져 있습니다(chaos.enabled 꺼짐): 아무것도 주입할 수 없습니다.</translation>
    </message>
    <message>
      <source>Opening this console's lease…</source>
      <translation>이 콘솔의 리스를 여는 중…</translation>
    </message>
    <message>
      <source>No lease, nothing injected: %1</source>
      <translation>리스가 없어 아무것도 주입하지 않았습니다: %1</translation>
    </message>
    <message>
      <source>Injecting %1…</source>
      <translation>%1 주입 중…</translation>
    </message>
    <message>
      <source>%1 not injected: %2</source>
      <translation>%1을(를) 주입하지 못했습니다: %2</translation>
    </message>
    <message>
      <source>Injected %1 (%2), until %3.</source>
      <translation>%1(%2)을(를) 주입했습니다. %3까지 유지됩니다.</translation>
    </message>
    <message>
      <source>%1 not cleared: %2</source>
      <translation>%1을(를) 해제하지 못했습니다: %2</translation>
    </message>
    <message>
      <source>Cleared %1.</source>
      <translation>%1을(를) 해제했습니다.</translation>
    </message>
    <message>
      <source>Stopping every fault…</source>
      <translation>모든 장애를 중지하는 중…</translation>
    </message>
    <message>
      <source>Stop all failed: %1</source>
      <translation>모두 중지하지 못했습니다: %1</translation>
    </message>
    <message numerus="yes">
      <source>Stopped: %n fault(s) cleared.</source>
      <translation>
        <numerusform>중지됨: 장애 %n개를 해제했습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>This console's lease lapsed: the faults it held were cleared.</source>
      <translation>이 콘솔의 리스가 만료되어 유지하던 장애가 해제되었습니다.</translation>
    </message>
    <message>
      <source>plugin %1</source>
      <translation>플러그인 %1</translation>
    </message>
    <message>
      <source>%1% of users</source>
      <translation>사용자의 %1%</translation>
    </message>
    <message>
      <source>all nodes</source>
      <translation>모든 노드</translation>
    </message>
    <message>
      <source>node %1</source>
      <translation>노드 %1</translation>
    </message>
    <message numerus="yes">
      <source>%n connection(s)</source>
      <translation>
        <numerusform>연결 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source> B/s</source>
      <translation> 바이트/초</translation>
    </message>
    <message>
      <source> ms</source>
      <translation> 밀리초</translation>
    </message>
    <message>
      <source> s</source>
      <translation> 초</translation>
    </message>
    <message>
      <source>%1 B/s</source>
      <translation>초당 %1바이트</translation>
    </message>
    <message>
      <source>%1 ms</source>
      <translation>%1밀리초</translation>
    </message>
    <message>
      <source>%1 s</source>
      <translation>%1초</translation>
    </message>
    <message>
      <source>%1 ± %2 ms</source>
      <translation>%1 ± %2밀리초</translation>
    </message>
    <message>
      <source>probability %1</source>
      <translation>확률 %1</translation>
    </message>
    <message>
      <source>status %1</source>
      <translation>상태 코드 %1</translation>
    </message>
  </context>
  <context>
    <name>Console::DashboardScreen</name>
    <message>
      <source>Last minute</source>
      <translation>최근 1분</translation>
    </message>
    <message>
      <source>Last 5 minutes</source>
      <translation>최근 5분</translation>
    </message>
    <message>
      <source>Last 15 minutes</source>
      <translation>최근 15분</translation>
    </message>
    <message>
      <source>Last hour</source>
      <translation>최근 1시간</translation>
    </message>
    <message>
      <source>Window:</source>
      <translation>기간:</translation>
    </message>
    <message>
      <source>Requests per second by area</source>
      <translation>영역별 초당 요청</translation>
    </message>
    <message>
      <source>p99 latency by area (ms)</source>
      <translation>영역별 p99 지연 (ms)</translation>
    </message>
    <message>
      <source>Errors per second</source>
      <translation>초당 오류</translation>
    </message>
    <message>
      <source>WebSocket connections</source>
      <translation>웹소켓 연결</translation>
    </message>
    <message>
      <source>DB pool and worker queue</source>
      <translation>DB 풀과 작업 대기열</translation>
    </message>
    <message>
      <source>Event lag (largest)</source>
      <translation>이벤트 지연 (최대)</translation>
    </message>
    <message>
      <source>Waiting for samples…</source>
      <translation>샘플을 기다리는 중…</translation>
    </message>
    <message>
      <source>all</source>
      <translation>전체</translation>
    </message>
    <message>
      <source>4xx</source>
      <translation>4xx</translation>
    </message>
    <message>
      <source>5xx</source>
      <translation>5xx</translation>
    </message>
    <message>
      <source>connections</source>
      <translation>연결</translation>
    </message>
    <message>
      <source>in use</source>
      <translation>사용 중</translation>
    </message>
    <message>
      <source>pool size</source>
      <translation>풀 크기</translation>
    </message>
    <message>
      <source>worker queue</source>
      <translation>작업 대기열</translation>
    </message>
    <message>
      <source>events behind</source>
      <translation>밀린 이벤트</translation>
    </message>
    <message numerus="yes">
      <source>%n sample(s) · %1 req/s · %2 sockets</source>
      <translation>
        <numerusform>샘플 %n개 · 초당 요청 %1 · 소켓 %2개</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::DecisionPanel</name>
    <message>
      <source>&amp;Decide</source>
      <translation>결정(&amp;D)</translation>
    </message>
    <message>
      <source>Actions</source>
      <translation>조치</translation>
    </message>
    <message>
      <source>Reason (required)</source>
      <translation>사유 (필수)</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>사유</translation>
    </message>
    <message>
      <source>Presets</source>
      <translation>프리셋</translation>
    </message>
    <message>
      <source>approve the report (hide)</source>
      <translation>신고 승인 (숨기기)</translation>
    </message>
    <message>
      <source>reject the report (dismiss)</source>
      <translation>신고 거부 (기각)</translation>
    </message>
    <message>
      <source>ignore (next item)</source>
      <translation>건너뛰기 (다음 항목)</translation>
    </message>
    <message>
      <source>mark / mark range</source>
      <translation>선택 / 범위 선택</translation>
    </message>
    <message>
      <source>claim or release</source>
      <translation>맡기 또는 내려놓기</translation>
    </message>
    <message>
      <source> d</source>
      <comment>days of suspension</comment>
      <translation>일</translation>
    </message>
    <message>
      <source>bulk: preview the marked items, then apply</source>
      <translation>일괄: 선택한 항목을 미리 보고 적용</translation>
    </message>
  </context>
  <context>
    <name>Console::DecisionPresets</name>
    <message>
      <source>Dismiss the reports</source>
      <translation>신고 기각</translation>
    </message>
    <message>
      <source>Hide</source>
      <translation>숨기기</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>삭제</translation>
    </message>
    <message>
      <source>Restore</source>
      <translation>복원</translation>
    </message>
    <message>
      <source>Warn the author</source>
      <translation>작성자에게 경고</translation>
    </message>
    <message>
      <source>Suspend the author</source>
      <translation>작성자 정지</translation>
    </message>
    <message>
      <source>Ban the author</source>
      <translation>작성자 영구 차단</translation>
    </message>
    <message>
      <source>Spam: remove</source>
      <translation>스팸: 삭제</translation>
    </message>
    <message>
      <source>Spam or advertising.</source>
      <translation>스팸 또는 광고입니다.</translation>
    </message>
    <message>
      <source>Hide + silence (1-day suspension)</source>
      <translation>숨기기 + 침묵 (1일 정지)</translation>
    </message>
    <message>
      <source>Hidden while the author cools off.</source>
      <translation>작성자가 진정할 때까지 숨깁니다.</translation>
    </message>
    <message>
      <source>Harassment: remove + warn</source>
      <translation>괴롭힘: 삭제 + 경고</translation>
    </message>
    <message>
      <source>Harassment of another member.</source>
      <translation>다른 회원을 괴롭혔습니다.</translation>
    </message>
    <message>
      <source>Repeated harassment: remove + 7 days</source>
      <translation>반복된 괴롭힘: 삭제 + 7일 정지</translation>
    </message>
    <message>
      <source>Repeated harassment after a warning.</source>
      <translation>경고 후에도 괴롭힘을 반복했습니다.</translation>
    </message>
    <message>
      <source>Illegal content: remove + ban</source>
      <translation>불법 콘텐츠: 삭제 + 영구 차단</translation>
    </message>
    <message>
      <source>Illegal content.</source>
      <translation>불법 콘텐츠입니다.</translation>
    </message>
    <message>
      <source>Off-topic: hide</source>
      <translation>주제 이탈: 숨기기</translation>
    </message>
    <message>
      <source>Off-topic for this community.</source>
      <translation>이 커뮤니티의 주제와 맞지 않습니다.</translation>
    </message>
    <message>
      <source>Not a violation: dismiss</source>
      <translation>위반 아님: 기각</translation>
    </message>
    <message>
      <source>Reviewed: no rule was broken.</source>
      <translation>검토 결과 규칙 위반이 없습니다.</translation>
    </message>
    <message>
      <source>Restored after review.</source>
      <translation>검토 후 복원했습니다.</translation>
    </message>
    <message>
      <source>Warn only</source>
      <translation>경고만</translation>
    </message>
    <message>
      <source>Please keep to the community rules.</source>
      <translation>커뮤니티 규칙을 지켜 주세요.</translation>
    </message>
    <message>
      <source>Choose at least one action.</source>
      <translation>조치를 하나 이상 고르세요.</translation>
    </message>
    <message>
      <source>At most eight actions.</source>
      <translation>조치는 최대 8개까지입니다.</translation>
    </message>
    <message>
      <source>Dismiss goes alone.</source>
      <translation>기각은 다른 조치와 함께 쓸 수 없습니다.</translation>
    </message>
    <message>
      <source>A suspension lasts 1 to 3650 days.</source>
      <translation>정지 기간은 1일에서 3650일 사이입니다.</translation>
    </message>
    <message>
      <source>Give a reason.</source>
      <translation>사유를 입력하세요.</translation>
    </message>
  </context>
  <context>
    <name>Console::ItemContext</name>
    <message>
      <source>Reports (%1)</source>
      <translation>신고 (%1건)</translation>
    </message>
    <message>
      <source>reporter</source>
      <translation>신고자</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>메모</translation>
    </message>
    <message>
      <source>Author:</source>
      <translation>작성자:</translation>
    </message>
    <message>
      <source>state</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>in</source>
      <translation>위치</translation>
    </message>
    <message>
      <source>The thread around it</source>
      <translation>주변 대화</translation>
    </message>
    <message>
      <source>The author's recent posts</source>
      <translation>작성자의 최근 글</translation>
    </message>
    <message>
      <source>Claimed by %1 until %2</source>
      <translation>%1 님이 %2까지 맡고 있음</translation>
    </message>
    <message>
      <source>Loading the reported text…</source>
      <translation>신고된 글을 불러오는 중…</translation>
    </message>
  </context>
  <context>
    <name>Console::JsonTableModel</name>
    <message>
      <source>yes</source>
      <translation>예</translation>
    </message>
    <message>
      <source>no</source>
      <translation>아니요</translation>
    </message>
  </context>
  <context>
    <name>Console::MainWindow</name>
    <message>
      <source>Community console</source>
      <translation>커뮤니티 콘솔</translation>
    </message>
    <message>
      <source>Review queue (g q)</source>
      <translation>검토 대기열 (g q)</translation>
    </message>
    <message>
      <source>Users (g u)</source>
      <translation>사용자 (g u)</translation>
    </message>
    <message>
      <source>Audit log (g a)</source>
      <translation>감사 로그 (g a)</translation>
    </message>
    <message>
      <source>Dashboard (g d)</source>
      <translation>대시보드 (g d)</translation>
    </message>
    <message>
      <source>Chaos (g c)</source>
      <translation>카오스 (g c)</translation>
    </message>
    <message>
      <source>%1 at %2 · server %3</source>
      <translation>%1 @ %2 · 서버 %3</translation>
    </message>
    <message>
      <source>Migrations (g m)</source>
      <translation>마이그레이션 (g m)</translation>
    </message>
    <message>
      <source>User record (g r)</source>
      <translation>사용자 기록 (g r)</translation>
    </message>
    <message>
      <source>Settings (g s)</source>
      <translation>설정 (g s)</translation>
    </message>
    <message>
      <source>g … (q: review queue, u: users, a: audit log, d: dashboard, c: chaos, m: migrations, r: user record, s: settings)</source>
      <translation>g … (q: 검토 대기열, u: 사용자, a: 감사 로그, d: 대시보드, c: 카오스, m: 마이그레이션, r: 사용자 기록, s: 설정)</translation>
    </message>
  </context>
  <context>
    <name>Console::MetricsModel</name>
    <message>
      <source>Time</source>
      <translation>시각</translation>
    </message>
    <message>
      <source>Requests/s</source>
      <translation>초당 요청</translation>
    </message>
    <message>
      <source>4xx/s</source>
      <translation>초당 4xx</translation>
    </message>
    <message>
      <source>5xx/s</source>
      <translation>초당 5xx</translation>
    </message>
    <message>
      <source>WebSockets</source>
      <translation>웹소켓</translation>
    </message>
    <message>
      <source>DB pool in use</source>
      <translation>사용 중인 DB 연결</translation>
    </message>
    <message>
      <source>Worker queue</source>
      <translation>작업 대기열</translation>
    </message>
    <message>
      <source>Event lag</source>
      <translation>이벤트 지연</translation>
    </message>
  </context>
  <context>
    <name>Console::ReviewQueueScreen</name>
    <message>
      <source>Priority</source>
      <translation>우선순위</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>종류</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>Reasons</source>
      <translation>신고 사유</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>신고</translation>
    </message>
    <message>
      <source>Held by</source>
      <translation>담당자</translation>
    </message>
    <message>
      <source>Opened</source>
      <translation>접수</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>열림</translation>
    </message>
    <message>
      <source>Resolved</source>
      <translation>처리됨</translation>
    </message>
    <message>
      <source>Queue:</source>
      <translation>대기열:</translation>
    </message>
    <message>
      <source>Report upheld.</source>
      <translation>신고가 타당합니다.</translation>
    </message>
    <message>
      <source>Report rejected: no rule was broken.</source>
      <translation>신고 기각: 규칙 위반이 없습니다.</translation>
    </message>
    <message>
      <source>Item %1 ignored for now.</source>
      <translation>항목 %1을(를) 일단 건너뛰었습니다.</translation>
    </message>
    <message>
      <source>● live</source>
      <translation>● 실시간</translation>
    </message>
    <message>
      <source>○ offline</source>
      <translation>○ 오프라인</translation>
    </message>
    <message numerus="yes">
      <source>%n item(s) in the queue</source>
      <translation>
        <numerusform>대기열 항목 %n개</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n item(s) marked</source>
      <translation>
        <numerusform>항목 %n개 선택됨</numerusform>
      </translation>
    </message>
    <message>
      <source>Still sending the last decision…</source>
      <translation>이전 결정을 아직 보내는 중입니다…</translation>
    </message>
    <message>
      <source>Nothing selected.</source>
      <translation>선택한 항목이 없습니다.</translation>
    </message>
    <message>
      <source>Item %1: sending %2…</source>
      <translation>항목 %1: %2 보내는 중…</translation>
    </message>
    <message>
      <source>Item %1 not decided: %2</source>
      <translation>항목 %1 결정 실패: %2</translation>
    </message>
    <message numerus="yes">
      <source>Item %1: %2 — %n reporter(s) notified.</source>
      <translation>
        <numerusform>항목 %1: %2 — 신고자 %n명에게 알렸습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>Item %1: %2</source>
      <translation>항목 %1: %2</translation>
    </message>
    <message>
      <source>Item %1 released.</source>
      <translation>항목 %1을(를) 내려놓았습니다.</translation>
    </message>
    <message>
      <source>Item %1 is yours for a few minutes.</source>
      <translation>항목 %1을(를) 몇 분간 맡았습니다.</translation>
    </message>
    <message numerus="yes">
      <source>%n item(s) match “%1”</source>
      <translation>
        <numerusform>“%1”에 맞는 항목 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation>취소했습니다: 서버의 응답을 기다리지 않습니다.</translation>
    </message>
    <message>
      <source>Search (/): words, post/comment/chat_message, spam/harassment/off-topic/illegal/other</source>
      <translation>검색 (/): 단어, post/comment/chat_message, spam/harassment/off-topic/illegal/other</translation>
    </message>
    <message numerus="yes">
      <source>Bulk: %n item(s) decided.</source>
      <translation>
        <numerusform>일괄: 항목 %n개를 결정했습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>Bulk: %1 decided, %2 refused (still marked).</source>
      <translation>일괄: %1개 결정, %2개 거부 (선택 유지).</translation>
    </message>
    <message numerus="yes">
      <source>Bulk preview: %n item(s).</source>
      <translation>
        <numerusform>일괄 미리 보기: 항목 %n개.</numerusform>
      </translation>
    </message>
    <message>
      <source>Item %1 was released.</source>
      <translation>항목 %1의 담당이 해제되었습니다.</translation>
    </message>
    <message>
      <source>Item %1 is now held by %2.</source>
      <translation>항목 %1은(는) 이제 %2 담당입니다.</translation>
    </message>
  </context>
  <context>
    <name>Console::ScreenshotRun</name>
    <message>
      <source>Cannot write %1</source>
      <translation>%1 파일을 쓸 수 없습니다</translation>
    </message>
  </context>
  <context>
    <name>Console::Session</name>
    <message>
      <source>The server runs version %1; this console is version %2. Screens may miss or misread what changed between them.</source>
      <translation>서버 버전은 %1, 이 콘솔 버전은 %2입니다. 두 버전 사이에 바뀐 내용을 화면이 놓치거나 잘못 읽을 수 있습니다.</translation>
    </message>
    <message>
      <source>Sign in with your password first.</source>
      <translation>먼저 비밀번호로 로그인하세요.</translation>
    </message>
    <message>
      <source>The server answered the sign-in without a token.</source>
      <translation>서버가 토큰 없이 로그인에 응답했습니다.</translation>
    </message>
    <message>
      <source>Cancelled.</source>
      <translation>취소했습니다.</translation>
    </message>
  </context>
  <context>
    <name>Console::SignInDialog</name>
    <message>
      <source>Con&amp;text</source>
      <translation>컨텍스트(&amp;T)</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>(없음)</translation>
    </message>
    <message>
      <source>Sign in to a community</source>
      <translation>커뮤니티에 로그인</translation>
    </message>
    <message>
      <source>6-digit code or a recovery code</source>
      <translation>6자리 코드 또는 복구 코드</translation>
    </message>
    <message>
      <source>&amp;Username</source>
      <translation>사용자 이름(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Password</source>
      <translation>비밀번호(&amp;P)</translation>
    </message>
    <message>
      <source>2FA &amp;code</source>
      <translation>2단계 인증 코드(&amp;C)</translation>
    </message>
    <message>
      <source>Operator &amp;token</source>
      <translation>운영자 토큰(&amp;T)</translation>
    </message>
    <message>
      <source>Account</source>
      <translation>계정</translation>
    </message>
    <message>
      <source>Operator</source>
      <translation>운영자</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>로그인</translation>
    </message>
    <message>
      <source>&amp;Server</source>
      <translation>서버(&amp;S)</translation>
    </message>
    <message>
      <source>Enter the code from your authenticator app.</source>
      <translation>인증 앱에 표시된 코드를 입력하세요.</translation>
    </message>
    <message>
      <source>The server must be an http(s) URL.</source>
      <translation>서버는 http(s) URL이어야 합니다.</translation>
    </message>
    <message>
      <source>Signing in…</source>
      <translation>로그인 중…</translation>
    </message>
  </context>
  <context>
    <name>Console::UsersScreen</name>
    <message>
      <source>Username</source>
      <translation>사용자 이름</translation>
    </message>
    <message>
      <source>Email</source>
      <translation>이메일</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>역할</translation>
    </message>
    <message>
      <source>State</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>Created</source>
      <translation>생성</translation>
    </message>
    <message>
      <source>&amp;Suspend</source>
      <translation>정지(&amp;S)</translation>
    </message>
    <message>
      <source>U&amp;nsuspend</source>
      <translation>정지 해제(&amp;N)</translation>
    </message>
    <message>
      <source>Load &amp;more</source>
      <translation>더 불러오기(&amp;M)</translation>
    </message>
    <message>
      <source>Search username or email (/)</source>
      <translation>사용자 이름 또는 이메일 검색 (/)</translation>
    </message>
    <message>
      <source>Reason (required to suspend)</source>
      <translation>사유 (정지 시 필수)</translation>
    </message>
    <message numerus="yes">
      <source>%n account(s) shown</source>
      <translation>
        <numerusform>계정 %n개 표시</numerusform>
      </translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>불러오는 중…</translation>
    </message>
    <message>
      <source>Give a reason: the account holder is shown it.</source>
      <translation>사유를 입력하세요. 계정 소유자에게 표시됩니다.</translation>
    </message>
    <message>
      <source>%1: sending…</source>
      <translation>%1: 보내는 중…</translation>
    </message>
    <message>
      <source>%1 not changed: %2</source>
      <translation>%1 변경 안 됨: %2</translation>
    </message>
    <message>
      <source>%1 suspended.</source>
      <translation>%1 계정을 정지했습니다.</translation>
    </message>
    <message>
      <source>%1 unsuspended.</source>
      <translation>%1 계정 정지를 해제했습니다.</translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation>취소했습니다: 서버의 응답을 기다리지 않습니다.</translation>
    </message>
    <message>
      <source>Open &amp;record (Enter)</source>
      <translation>기록 열기(&amp;R) (Enter)</translation>
    </message>
  </context>
  <context>
    <name>Console::MediaStrip</name>
    <message numerus="yes">
      <source>%n could not be shown</source>
      <translation>
        <numerusform>%n개는 표시할 수 없음</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n image(s)</source>
      <translation>
        <numerusform>이미지 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>&amp;Blur (m)</source>
      <translation>흐리게(&amp;B) (m)</translation>
    </message>
    <message>
      <source>&amp;Greyscale (Shift+M)</source>
      <translation>흑백(&amp;G) (Shift+M)</translation>
    </message>
    <message numerus="yes">
      <source>Loading %n image(s)…</source>
      <translation>
        <numerusform>이미지 %n개를 불러오는 중…</numerusform>
      </translation>
    </message>
    <message>
      <source>Media:</source>
      <translation>미디어:</translation>
    </message>
    <message>
      <source>filtered</source>
      <translation>필터 적용됨</translation>
    </message>
    <message>
      <source>unfiltered</source>
      <translation>필터 없음</translation>
    </message>
  </context>
  <context>
    <name>Console::MigrationsScreen</name>
    <message>
      <source>%1: %2 applied, %3 pending</source>
      <translation>%1: 적용 %2개, 대기 %3개</translation>
    </message>
    <message numerus="yes">
      <source>%n changed since applied</source>
      <translation>
        <numerusform>적용 후 변경 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>&amp;Apply the plan…</source>
      <translation>계획 적용(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Plan (p)</source>
      <translation>계획(&amp;P) (p)</translation>
    </message>
    <message numerus="yes">
      <source>Applied %n migration(s).</source>
      <translation>
        <numerusform>마이그레이션 %n개를 적용했습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>Applied at</source>
      <translation>적용 시각</translation>
    </message>
    <message numerus="yes">
      <source>Apply %n migration(s) now?

%1</source>
      <translation>
        <numerusform>지금 마이그레이션 %n개를 적용할까요?

%1</numerusform>
      </translation>
    </message>
    <message>
      <source>Apply migrations</source>
      <translation>마이그레이션 적용</translation>
    </message>
    <message numerus="yes">
      <source>Applying %n migration(s)…</source>
      <translation>
        <numerusform>마이그레이션 %n개를 적용하는 중…</numerusform>
      </translation>
    </message>
    <message>
      <source>Asking the server for its plan…</source>
      <translation>서버에 계획을 묻는 중…</translation>
    </message>
    <message>
      <source>CHANGED since applied</source>
      <translation>적용 후 변경됨</translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation>취소했습니다: 서버의 응답을 기다리지 않습니다.</translation>
    </message>
    <message>
      <source>Checksum</source>
      <translation>체크섬</translation>
    </message>
    <message>
      <source>Make a plan first (p): only a plan you have seen is applied.</source>
      <translation>먼저 계획을 만드세요(p): 확인한 계획만 적용됩니다.</translation>
    </message>
    <message>
      <source>Migrations failed: %1</source>
      <translation>마이그레이션 실패: %1</translation>
    </message>
    <message>
      <source>Migrations not loaded: %1 (this screen needs the operator token)</source>
      <translation>마이그레이션을 불러오지 못했습니다: %1 (이 화면은 운영자 토큰이 필요합니다)</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>이름</translation>
    </message>
    <message>
      <source>No plan: %1</source>
      <translation>계획 없음: %1</translation>
    </message>
    <message>
      <source>No plugin ships migrations.</source>
      <translation>마이그레이션이 있는 플러그인이 없습니다.</translation>
    </message>
    <message>
      <source>Not applied.</source>
      <translation>적용하지 않았습니다.</translation>
    </message>
    <message>
      <source>Nothing to apply: every migration is applied.</source>
      <translation>적용할 것이 없습니다: 모든 마이그레이션이 적용되었습니다.</translation>
    </message>
    <message>
      <source>Plan: what a run would apply</source>
      <translation>계획: 실행하면 적용될 항목</translation>
    </message>
    <message>
      <source>Plugin</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Runs are serialised across nodes by a database lock; the server does not report who holds it.</source>
      <translation>실행은 데이터베이스 잠금으로 노드 간에 직렬화됩니다. 서버는 잠금 보유자를 알려 주지 않습니다.</translation>
    </message>
    <message>
      <source>State</source>
      <translation>상태</translation>
    </message>
    <message numerus="yes">
      <source>The plan lists %n migration(s).</source>
      <translation>
        <numerusform>계획에 마이그레이션 %n개가 있습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>Version</source>
      <translation>버전</translation>
    </message>
    <message>
      <source>applied</source>
      <translation>적용됨</translation>
    </message>
    <message>
      <source>pending</source>
      <translation>대기 중</translation>
    </message>
  </context>
  <context>
    <name>Console::RequestProgress</name>
    <message>
      <source>Cancel (Esc)</source>
      <translation>취소 (Esc)</translation>
    </message>
    <message>
      <source>Cancelled.</source>
      <translation>취소했습니다.</translation>
    </message>
    <message>
      <source>The server did not answer in time (%1).</source>
      <translation>서버가 제때 응답하지 않았습니다(%1).</translation>
    </message>
    <message numerus="yes">
      <source>Waiting for the server: %n request(s), %1 s — Esc cancels</source>
      <translation>
        <numerusform>서버 응답 대기 중: 요청 %n건, %1초 — Esc로 취소</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::UserRecordScreen</name>
    <message>
      <source>%1 is now %2.</source>
      <translation>%1의 역할이 이제 %2입니다.</translation>
    </message>
    <message>
      <source>%1 not changed: %2</source>
      <translation>%1 변경 안 됨: %2</translation>
    </message>
    <message>
      <source>%1 suspended.</source>
      <translation>%1 계정을 정지했습니다.</translation>
    </message>
    <message>
      <source>%1 unsuspended.</source>
      <translation>%1 계정 정지를 해제했습니다.</translation>
    </message>
    <message>
      <source>%1's record.</source>
      <translation>%1의 기록입니다.</translation>
    </message>
    <message>
      <source>%1: %2</source>
      <translation>%1: %2</translation>
    </message>
    <message>
      <source>%1: sending…</source>
      <translation>%1: 보내는 중…</translation>
    </message>
    <message>
      <source>&amp;End every session (resets the password)…</source>
      <translation>모든 세션 종료(&amp;E) (비밀번호 재설정)…</translation>
    </message>
    <message>
      <source>&amp;Profile</source>
      <translation>프로필(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Revoke the selected session</source>
      <translation>선택한 세션 취소(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Suspend</source>
      <translation>정지(&amp;S)</translation>
    </message>
    <message>
      <source>About</source>
      <translation>소개</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>활성</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>주소</translation>
    </message>
    <message>
      <source>Against</source>
      <translation>신고 대상</translation>
    </message>
    <message>
      <source>Ban evasion with another account.</source>
      <translation>다른 계정으로 차단을 회피했습니다.</translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation>취소했습니다: 서버의 응답을 기다리지 않습니다.</translation>
    </message>
    <message>
      <source>Choose an account on the users screen (Enter).</source>
      <translation>사용자 화면에서 계정을 고르세요(Enter).</translation>
    </message>
    <message>
      <source>Client</source>
      <translation>클라이언트</translation>
    </message>
    <message>
      <source>Created</source>
      <translation>생성</translation>
    </message>
    <message>
      <source>Display name</source>
      <translation>표시 이름</translation>
    </message>
    <message>
      <source>Email</source>
      <translation>이메일</translation>
    </message>
    <message>
      <source>Email verified</source>
      <translation>이메일 확인됨</translation>
    </message>
    <message>
      <source>End every session of %1? Its password is replaced by a one-time password that you must pass on.</source>
      <translation>%1의 모든 세션을 종료할까요? 비밀번호가 일회용 비밀번호로 바뀌며, 이를 직접 전달해야 합니다.</translation>
    </message>
    <message>
      <source>Ends</source>
      <translation>종료</translation>
    </message>
    <message>
      <source>Every session of %1 ended. One-time password: %2</source>
      <translation>%1의 모든 세션을 종료했습니다. 일회용 비밀번호: %2</translation>
    </message>
    <message>
      <source>Excerpt</source>
      <translation>발췌</translation>
    </message>
    <message>
      <source>Followers</source>
      <translation>팔로워</translation>
    </message>
    <message>
      <source>Following</source>
      <translation>팔로잉</translation>
    </message>
    <message>
      <source>Give a reason: the account holder is shown it.</source>
      <translation>사유를 입력하세요. 계정 소유자에게 표시됩니다.</translation>
    </message>
    <message>
      <source>Given</source>
      <translation>부과 시각</translation>
    </message>
    <message>
      <source>Given by</source>
      <translation>부과자</translation>
    </message>
    <message>
      <source>Harassment of other members.</source>
      <translation>다른 회원을 괴롭혔습니다.</translation>
    </message>
    <message>
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>Illegal content.</source>
      <translation>불법 콘텐츠입니다.</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>종류</translation>
    </message>
    <message>
      <source>Last seen</source>
      <translation>마지막 활동</translation>
    </message>
    <message>
      <source>Lifted</source>
      <translation>해제</translation>
    </message>
    <message>
      <source>Loading %1's record…</source>
      <translation>%1의 기록을 불러오는 중…</translation>
    </message>
    <message>
      <source>Nothing changed.</source>
      <translation>바뀐 것이 없습니다.</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>사유</translation>
    </message>
    <message>
      <source>Reason (shown to the account holder)</source>
      <translation>사유 (계정 소유자에게 표시됨)</translation>
    </message>
    <message>
      <source>Repeated rule violations after warnings.</source>
      <translation>경고 후에도 규칙을 반복해서 어겼습니다.</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>신고</translation>
    </message>
    <message>
      <source>Reporter</source>
      <translation>신고자</translation>
    </message>
    <message>
      <source>Reports &amp;filed</source>
      <translation>제출한 신고(&amp;F)</translation>
    </message>
    <message>
      <source>Reports not loaded: %1</source>
      <translation>신고를 불러오지 못했습니다: %1</translation>
    </message>
    <message>
      <source>Reports recei&amp;ved</source>
      <translation>받은 신고(&amp;V)</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>역할</translation>
    </message>
    <message>
      <source>Sess&amp;ions</source>
      <translation>세션(&amp;I)</translation>
    </message>
    <message>
      <source>Session</source>
      <translation>세션</translation>
    </message>
    <message>
      <source>Session %1 not revoked: %2</source>
      <translation>세션 %1을(를) 취소하지 못했습니다: %2</translation>
    </message>
    <message>
      <source>Session %1 revoked.</source>
      <translation>세션 %1을(를) 취소했습니다.</translation>
    </message>
    <message>
      <source>Set &amp;role</source>
      <translation>역할 설정(&amp;R)</translation>
    </message>
    <message>
      <source>Spam or advertising.</source>
      <translation>스팸 또는 광고입니다.</translation>
    </message>
    <message>
      <source>Started</source>
      <translation>시작</translation>
    </message>
    <message>
      <source>State</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>Strikes and &amp;penalties</source>
      <translation>경고와 제재(&amp;P)</translation>
    </message>
    <message>
      <source>Suspended because</source>
      <translation>정지 사유</translation>
    </message>
    <message>
      <source>Suspension</source>
      <translation>정지</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>The server lists sessions only to their owner. Suspending %1 refuses its requests; ending every session resets the password.</source>
      <translation>서버는 세션을 소유자에게만 보여 줍니다. %1 계정을 정지하면 요청이 거부되고, 모든 세션을 종료하면 비밀번호가 재설정됩니다.</translation>
    </message>
    <message>
      <source>This console</source>
      <translation>이 콘솔</translation>
    </message>
    <message>
      <source>U&amp;nsuspend</source>
      <translation>정지 해제(&amp;N)</translation>
    </message>
    <message>
      <source>User record</source>
      <translation>사용자 기록</translation>
    </message>
    <message>
      <source>Your sessions. Revoking the one marked as this console signs the console out.</source>
      <translation>내 세션입니다. 이 콘솔로 표시된 세션을 취소하면 콘솔에서 로그아웃됩니다.</translation>
    </message>
    <message>
      <source>admin</source>
      <translation>관리자</translation>
    </message>
    <message>
      <source>moderator</source>
      <translation>모더레이터</translation>
    </message>
    <message>
      <source>user</source>
      <translation>사용자</translation>
    </message>
  </context>
  <context>
    <name>Console::SettingsScreen</name>
    <message>
      <source>default</source>
      <translation>기본값</translation>
    </message>
    <message>
      <source>file</source>
      <translation>파일</translation>
    </message>
    <message>
      <source>runtime</source>
      <translation>런타임</translation>
    </message>
    <message>
      <source>environment</source>
      <translation>환경 변수</translation>
    </message>
    <message>
      <source>--set flag</source>
      <translation>--set 플래그</translation>
    </message>
    <message>
      <source>pending: restart required</source>
      <translation>대기 중: 재시작 필요</translation>
    </message>
    <message>
      <source>restart required</source>
      <translation>재시작 필요</translation>
    </message>
    <message>
      <source>live</source>
      <translation>즉시 적용</translation>
    </message>
    <message>
      <source>Key</source>
      <translation>키</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>유형</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>값</translation>
    </message>
    <message>
      <source>Default</source>
      <translation>기본값</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>출처</translation>
    </message>
    <message>
      <source>State</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>Read-only because</source>
      <translation>읽기 전용 사유</translation>
    </message>
    <message>
      <source>Only keys that differ from their &amp;default (d)</source>
      <translation>기본값과 다른 키만(&amp;D) (d)</translation>
    </message>
    <message>
      <source>&amp;Check and save…</source>
      <translation>확인 후 저장(&amp;C)…</translation>
    </message>
    <message>
      <source>&amp;Reset to file/default…</source>
      <translation>파일/기본값으로 되돌리기(&amp;R)…</translation>
    </message>
    <message>
      <source>Search keys and descriptions (/)</source>
      <translation>키와 설명 검색 (/)</translation>
    </message>
    <message>
      <source>Why (required; kept in the audit log)</source>
      <translation>사유 (필수, 감사 로그에 남음)</translation>
    </message>
    <message>
      <source>New value</source>
      <translation>새 값</translation>
    </message>
    <message>
      <source>Selected key</source>
      <translation>선택한 키</translation>
    </message>
    <message>
      <source>&amp;Value</source>
      <translation>값(&amp;V)</translation>
    </message>
    <message>
      <source>Rea&amp;son</source>
      <translation>사유(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Import…</source>
      <translation>가져오기(&amp;I)…</translation>
    </message>
    <message>
      <source>Last import:</source>
      <translation>마지막 가져오기:</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>설정</translation>
    </message>
    <message>
      <source>Settings not loaded: %1 (this screen needs an administrator)</source>
      <translation>설정을 불러오지 못했습니다: %1 (이 화면은 관리자 권한이 필요합니다)</translation>
    </message>
    <message numerus="yes">
      <source>%n key(s)</source>
      <translation>
        <numerusform>키 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>Cancelled: the server was not waited for.</source>
      <translation>취소했습니다: 서버의 응답을 기다리지 않습니다.</translation>
    </message>
    <message>
      <source>set</source>
      <translation>설정됨</translation>
    </message>
    <message>
      <source>unset</source>
      <translation>설정 안 됨</translation>
    </message>
    <message>
      <source>No diff: %1</source>
      <translation>차이를 불러오지 못했습니다: %1</translation>
    </message>
    <message numerus="yes">
      <source>%n key(s) differ from their default</source>
      <translation>
        <numerusform>기본값과 다른 키 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>No key selected.</source>
      <translation>선택한 키가 없습니다.</translation>
    </message>
    <message>
      <source>Type: %1</source>
      <translation>유형: %1</translation>
    </message>
    <message>
      <source>Default: %1</source>
      <translation>기본값: %1</translation>
    </message>
    <message>
      <source>Source: %1</source>
      <translation>출처: %1</translation>
    </message>
    <message>
      <source>&lt;b&gt;Pending&lt;/b&gt;: in force until the next start is %1</source>
      <translation>&lt;b&gt;대기 중&lt;/b&gt;: 다음 시작 전까지 적용 중인 값은 %1</translation>
    </message>
    <message>
      <source>A secret: only whether it is set is shown; set or unset it in the configuration file or the environment.</source>
      <translation>비밀 값: 설정 여부만 표시합니다. 설정 파일이나 환경 변수에서 설정하거나 해제하세요.</translation>
    </message>
    <message>
      <source>&lt;b&gt;Read-only&lt;/b&gt;: %1</source>
      <translation>&lt;b&gt;읽기 전용&lt;/b&gt;: %1</translation>
    </message>
    <message>
      <source>Give a reason first: it goes into the audit log.</source>
      <translation>먼저 사유를 입력하세요. 감사 로그에 기록됩니다.</translation>
    </message>
    <message>
      <source>This key cannot be changed here.</source>
      <translation>이 키는 여기서 바꿀 수 없습니다.</translation>
    </message>
    <message>
      <source>%1: asking the server to check the value…</source>
      <translation>%1: 서버에 값 검증을 요청하는 중…</translation>
    </message>
    <message>
      <source>%1 not changed: %2</source>
      <translation>%1 변경 안 됨: %2</translation>
    </message>
    <message>
      <source>%1 already has this value.</source>
      <translation>%1에는 이미 이 값이 설정되어 있습니다.</translation>
    </message>
    <message>
      <source>%1: %2 → %3 (default %4; now from %5). %6</source>
      <translation>%1: %2 → %3 (기본값 %4, 현재 출처 %5). %6</translation>
    </message>
    <message>
      <source>Takes effect after a restart.</source>
      <translation>재시작 후 적용됩니다.</translation>
    </message>
    <message>
      <source>Takes effect at once.</source>
      <translation>즉시 적용됩니다.</translation>
    </message>
    <message>
      <source>Save this change?

%1</source>
      <translation>이 변경을 저장할까요?

%1</translation>
    </message>
    <message>
      <source>Not saved.</source>
      <translation>저장하지 않았습니다.</translation>
    </message>
    <message>
      <source>%1: saving…</source>
      <translation>%1: 저장하는 중…</translation>
    </message>
    <message>
      <source>%1 saved; it takes effect after a restart.</source>
      <translation>%1 저장됨. 재시작 후 적용됩니다.</translation>
    </message>
    <message>
      <source>%1 saved and in force.</source>
      <translation>%1 저장되어 적용 중입니다.</translation>
    </message>
    <message>
      <source>%1 has no runtime value to remove.</source>
      <translation>%1에는 지울 런타임 값이 없습니다.</translation>
    </message>
    <message>
      <source>Remove the runtime value of %1 (%2)? The file's value or the default (%3) applies again.</source>
      <translation>%1의 런타임 값(%2)을 지울까요? 파일의 값이나 기본값(%3)이 다시 적용됩니다.</translation>
    </message>
    <message>
      <source>Not reset.</source>
      <translation>되돌리지 않았습니다.</translation>
    </message>
    <message>
      <source>%1 not reset: %2</source>
      <translation>%1 되돌리기 실패: %2</translation>
    </message>
    <message>
      <source>%1 reset.</source>
      <translation>%1 되돌렸습니다.</translation>
    </message>
    <message>
      <source>Export the runtime settings</source>
      <translation>런타임 설정 내보내기</translation>
    </message>
    <message>
      <source>JSON (*.json)</source>
      <translation>JSON (*.json)</translation>
    </message>
    <message>
      <source>Import settings</source>
      <translation>설정 가져오기</translation>
    </message>
    <message>
      <source>Not exported: %1</source>
      <translation>내보내지 못했습니다: %1</translation>
    </message>
    <message numerus="yes">
      <source>%n runtime value(s) exported to %1</source>
      <translation>
        <numerusform>런타임 값 %n개를 %1 파일로 내보냈습니다</numerusform>
      </translation>
    </message>
    <message>
      <source>Cannot read %1: %2</source>
      <translation>%1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
      <source>%1 is larger than the server takes (256 KiB).</source>
      <translation>%1 파일이 서버가 받는 크기(256 KiB)보다 큽니다.</translation>
    </message>
    <message>
      <source>%1 is not a settings export ({"settings": {…}}).</source>
      <translation>%1은(는) 설정 내보내기 파일이 아닙니다 ({"settings": {…}}).</translation>
    </message>
    <message numerus="yes">
      <source>Import %n key(s) from %1? All are checked first: one refused key and nothing is written.</source>
      <translation>
        <numerusform>%1에서 키 %n개를 가져올까요? 먼저 모두 검증하며, 하나라도 거부되면 아무것도 기록하지 않습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>Not imported.</source>
      <translation>가져오지 않았습니다.</translation>
    </message>
    <message numerus="yes">
      <source>Importing %n key(s)…</source>
      <translation>
        <numerusform>키 %n개를 가져오는 중…</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Nothing was written: the server refused %n key(s).</source>
      <translation>
        <numerusform>아무것도 기록하지 않았습니다: 서버가 키 %n개를 거부했습니다.</numerusform>
      </translation>
    </message>
    <message>
      <source>Import refused; nothing was written.</source>
      <translation>가져오기가 거부되어 아무것도 기록하지 않았습니다.</translation>
    </message>
    <message>
      <source>Imported: every value was already in force; nothing changed.</source>
      <translation>가져옴: 모든 값이 이미 적용 중이라 바뀐 것이 없습니다.</translation>
    </message>
    <message numerus="yes">
      <source>Imported: %n key(s) changed.</source>
      <translation>
        <numerusform>가져옴: 키 %n개가 바뀌었습니다.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Import done: %n key(s) changed.</source>
      <translation>
        <numerusform>가져오기 완료: 키 %n개가 바뀌었습니다.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Console::BulkPreview</name>
    <message>
      <source>no decision yet: press 1–9 on the row</source>
      <translation>아직 결정 없음: 행에서 1–9를 누르세요</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>항목</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>Held by</source>
      <translation>담당자</translation>
    </message>
    <message>
      <source>%1 (will likely refuse)</source>
      <translation>%1 (거부될 가능성 높음)</translation>
    </message>
    <message>
      <source>Decision</source>
      <translation>결정</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>결과</translation>
    </message>
    <message>
      <source>&amp;Apply to every row (Enter)</source>
      <translation>모든 행에 적용(&amp;A) (Enter)</translation>
    </message>
    <message>
      <source>Bulk decision: preview</source>
      <translation>일괄 결정: 미리 보기</translation>
    </message>
    <message>
      <source>Each row gets the decision shown; 1–9 give the selected row a preset instead. One request is sent per item; a refusal does not stop the others.</source>
      <translation>각 행에는 표시된 결정이 적용됩니다. 1–9를 누르면 선택한 행에 프리셋을 대신 적용합니다. 항목마다 요청을 하나씩 보내며, 하나가 거부되어도 나머지는 계속됩니다.</translation>
    </message>
    <message numerus="yes">
      <source>%n item(s) ready to send</source>
      <translation>
        <numerusform>보낼 준비가 된 항목 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>%1 decided, %2 refused</source>
      <translation>%1개 결정, %2개 거부</translation>
    </message>
    <message>
      <source>Nothing to send: give each row a decision (1–9) first.</source>
      <translation>보낼 것이 없습니다: 먼저 각 행에 결정(1–9)을 지정하세요.</translation>
    </message>
    <message numerus="yes">
      <source>decided — %n reporter(s) notified</source>
      <translation>
        <numerusform>결정함 — 신고자 %n명에게 알림</numerusform>
      </translation>
    </message>
  </context>
</TS>