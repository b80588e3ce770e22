//! The fake API's stand-ins for distance and scale: answers delayed, zones listed by page and
//! account, and the global budget answered with 429 and code 971.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

async fn get(fake: &Fake, path: &str) -> (u16, Option<String>, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", fake.api_url()))
        .bearer_auth(CFUT_TOKEN)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, retry_after, response.json().await.unwrap())
}

#[tokio::test]
async fn every_answer_comes_as_late_as_asked() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    fake.delay_answers(Duration::from_millis(30));
    let started = Instant::now();
    let (status, _, _) = get(&fake, &format!("/zones/{ZONE_ID}")).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(30));
}

#[tokio::test]
async fn zones_are_listed_by_page_and_by_account() {
    let fake = Fake::start().await;
    let ids = fake.add_zones(120);
    let mut token = Token::everywhere();
    token.read.extend(&ids);
    fake.add_token(CFUT_TOKEN, token);
    let (_, _, body) = get(&fake, "/zones?per_page=50&page=3").await;
    // 120 new zones and the standard world's 4.
    assert_eq!(body["result"].as_array().unwrap().len(), 24);
    let info = &body["result_info"];
    assert_eq!(
        (&info["page"], &info["per_page"], &info["count"]),
        (&Value::from(3), &Value::from(50), &Value::from(24))
    );
    assert_eq!(
        (&info["total_count"], &info["total_pages"]),
        (&Value::from(124), &Value::from(3))
    );
    let (_, _, other) = get(
        &fake,
        &format!("/zones?per_page=50&account.id={OTHER_ACCOUNT_ID}"),
    )
    .await;
    assert_eq!(other["result"][0]["id"], OTHER_ZONE_ID);
    assert_eq!(other["result_info"]["total_count"], 1);
    let (_, _, default) = get(&fake, "/zones").await;
    assert_eq!(default["result"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn a_spent_budget_is_a_429_with_code_971_until_the_window_ends() {
    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    fake.enforce_budget(1200, Duration::from_secs(300), 1198);
    let zone = format!("/zones/{ZONE_ID}");
    assert_eq!(get(&fake, &zone).await.0, 200);
    assert_eq!(get(&fake, "/user/tokens/verify").await.0, 200);
    let (status, retry_after, body) = get(&fake, &zone).await;
    assert_eq!(status, 429);
    assert_eq!(body["errors"][0]["code"], 971);
    assert_eq!(retry_after.as_deref(), Some("300"));

    let fake = Fake::with_token(CFUT_TOKEN, Token::everywhere()).await;
    fake.enforce_budget(1, Duration::from_millis(50), 1);
    assert_eq!(get(&fake, &zone).await.0, 429);
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(get(&fake, &zone).await.0, 200);
}
