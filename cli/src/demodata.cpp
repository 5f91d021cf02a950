// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "demodata.h"

namespace Community::Ctl::Demo {

QString demoPassword()
{
    return QStringLiteral("Demo-Platform-2026!");
}

QList<DemoUser> demoUsers()
{
    return {{QStringLiteral("demo_minji")},  {QStringLiteral("demo_jihoon")}, {QStringLiteral("demo_seoyeon")},
            {QStringLiteral("demo_haneul")}, {QStringLiteral("demo_alex")},   {QStringLiteral("demo_priya")},
            {QStringLiteral("demo_tom")},    {QStringLiteral("demo_spammer")}};
}

namespace {

DemoCommunity cafes()
{
    return {QStringLiteral("seoul-cafes"), QStringLiteral("서울 카페 탐방"),
            QStringLiteral("서울의 작은 카페, 로스터리, 디저트 가게 이야기를 나눠요."), QStringLiteral("demo_minji"),
            {{QStringLiteral("demo_minji"), QStringLiteral("성수동 로스터리 세 곳 비교 후기"),
              QStringLiteral("주말에 성수동 로스터리 세 곳을 돌아봤어요. 산미 있는 원두를 좋아하시면 두 번째 집을 추천합니다."),
              {QStringLiteral("성수"), QStringLiteral("원두")},
              {{QStringLiteral("demo_jihoon"), QStringLiteral("두 번째 집 저도 가봤는데 핸드드립이 정말 좋았어요!")},
               {QStringLiteral("demo_alex"), QStringLiteral("Saving this for my trip to Seoul next month, thanks!")}},
              {QStringLiteral("demo_jihoon"), QStringLiteral("demo_seoyeon"), QStringLiteral("demo_alex")}, {}, {}, {}},
             {QStringLiteral("demo_seoyeon"), QStringLiteral("조용히 작업하기 좋은 카페 있을까요?"),
              QStringLiteral("노트북 들고 가서 두세 시간 작업할 수 있는 조용한 카페를 찾고 있어요. 마포구 쪽이면 좋겠어요."),
              {QStringLiteral("질문")},
              {{QStringLiteral("demo_haneul"), QStringLiteral("망원동 골목 안쪽 카페들이 평일 오전엔 한적해요.")}},
              {QStringLiteral("demo_minji")}, {}, {}, {}},
             {QStringLiteral("demo_spammer"), QStringLiteral("무료 쿠폰 지금 바로 받으세요!!! 선착순 100명"),
              QStringLiteral("아래 링크에서 카페 무료 쿠폰을 받으세요 ★★★ 지금 클릭 ★★★"), {},
              {}, {}, {QStringLiteral("demo_minji"), QStringLiteral("demo_jihoon")}, QStringLiteral("demo_minji"),
              QStringLiteral("spam")}}};
}

DemoCommunity learners()
{
    return {QStringLiteral("hangul-learners"), QStringLiteral("Hangul Learners"),
            QStringLiteral("Learning Korean together: grammar questions, study plans and practice partners."),
            QStringLiteral("demo_alex"),
            {{QStringLiteral("demo_alex"), QStringLiteral("When do I use 은/는 instead of 이/가?"),
              QStringLiteral("I keep mixing up the topic and subject particles. Is there a rule of thumb that works most of the time?"),
              {QStringLiteral("grammar")},
              {{QStringLiteral("demo_jihoon"), QStringLiteral("은/는 sets the topic or contrasts; 이/가 points at new information. 저는 학생이에요 vs 누가 왔어요? 민수가 왔어요.")},
               {QStringLiteral("demo_priya"), QStringLiteral("This helped me a lot, thank you both!")}},
              {QStringLiteral("demo_priya"), QStringLiteral("demo_tom"), QStringLiteral("demo_jihoon")}, {}, {}, {}},
             {QStringLiteral("demo_priya"), QStringLiteral("Looking for a language exchange partner (English ↔ 한국어)"),
              QStringLiteral("Native English speaker, intermediate Korean. Happy to do one video call a week."),
              {QStringLiteral("exchange")},
              {{QStringLiteral("demo_seoyeon"), QStringLiteral("저 관심 있어요! I'd like to practise English conversation.")}},
              {QStringLiteral("demo_alex")}, {}, {}, {}},
             {QStringLiteral("demo_tom"), QStringLiteral("Korean is a pointless language, why bother"),
              QStringLiteral("Honestly everyone here is wasting their time. Learn something useful."), {}, {},
              {}, {QStringLiteral("demo_alex"), QStringLiteral("demo_priya")}, QStringLiteral("demo_priya"),
              QStringLiteral("harassment")}}};
}

DemoCommunity baking()
{
    return {QStringLiteral("home-baking"), QStringLiteral("Home Baking"),
            QStringLiteral("Bread, pastry and cakes from home kitchens. Share your bakes and your failures."),
            QStringLiteral("demo_priya"),
            {{QStringLiteral("demo_priya"), QStringLiteral("My first sourdough that actually rose"),
              QStringLiteral("After six flat loaves, a longer bulk ferment at 24 °C finally did it. Crumb photo in the comments."),
              {QStringLiteral("sourdough")},
              {{QStringLiteral("demo_tom"), QStringLiteral("Beautiful ear! What hydration?")},
               {QStringLiteral("demo_priya"), QStringLiteral("75%, with 10% whole wheat.")}},
              {QStringLiteral("demo_tom"), QStringLiteral("demo_alex"), QStringLiteral("demo_haneul")}, {}, {}, {}},
             {QStringLiteral("demo_haneul"), QStringLiteral("Castella (카스테라) without a special pan?"),
              QStringLiteral("Has anyone baked castella in a normal loaf tin? Mine sinks in the middle."),
              {QStringLiteral("cake")},
              {{QStringLiteral("demo_minji"), QStringLiteral("Lower the oven to 150 °C and bake longer; it stops the sinking.")}},
              {QStringLiteral("demo_minji")}, {}, QStringLiteral("demo_tom"), QStringLiteral("off-topic")}}};
}

} // namespace

QList<DemoCommunity> demoCommunities()
{
    return {cafes(), learners(), baking()};
}

} // namespace Community::Ctl::Demo
