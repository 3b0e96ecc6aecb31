//! JSON batching (`POST /{version}/$batch`) with Graph's rules: at most 20 requests, unique
//! ids, `Content-Type` and a body on every write, `dependsOn` (a request whose dependency
//! failed is answered 424 and not carried out), and each sub-request authenticated,
//! throttled, fault-injected and recorded on its own.

use crate::auth::Principal;
use crate::graph::{Body, GraphError, GraphRequest, GraphResult, Reply, JSON_CONTENT_TYPE};
use crate::routes::split_path;
use crate::sim::Sim;
use bytes::Bytes;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

#[derive(Debug)]
struct Sub {
    id: String,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn invalid(msg: impl Into<String>) -> GraphError {
    GraphError::bad_request(msg)
}

fn parse(body: &[u8], max: usize) -> Result<Vec<Sub>, GraphError> {
    let v: Value = serde_json::from_slice(body).map_err(|_| GraphError::unreadable_body())?;
    let requests = v
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("Invalid batch payload format: 'requests' must be an array."))?;
    if requests.len() > max {
        return Err(invalid(format!(
            "Number of batch request steps exceeds the maximum of {max}."
        )));
    }
    let mut subs = Vec::with_capacity(requests.len());
    for r in requests {
        let field = |name: &str| -> Result<String, GraphError> {
            r.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    invalid(format!(
                        "Invalid batch payload format: every request needs a string '{name}'."
                    ))
                })
        };
        let id = field("id")?;
        let method = field("method")?.to_ascii_uppercase();
        let url = field("url")?;
        let mut headers = Vec::new();
        if let Some(h) = r.get("headers") {
            let Value::Object(h) = h else {
                return Err(invalid(format!("Invalid batch payload format: the headers of request '{id}' must be an object.")));
            };
            for (k, v) in h {
                let v = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                headers.push((k.to_ascii_lowercase(), v));
            }
        }
        let body = r.get("body").filter(|b| !b.is_null()).cloned();
        let depends_on = match r.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| d.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid(format!("Invalid batch payload format: dependsOn of request '{id}' must list request ids.")))?,
            Some(_) => {
                return Err(invalid(format!(
                    "Invalid batch payload format: dependsOn of request '{id}' must be an array."
                )))
            }
        };
        if matches!(method.as_str(), "POST" | "PATCH" | "PUT")
            && (body.is_none() || !headers.iter().any(|(n, _)| n == "content-type"))
        {
            return Err(invalid(format!(
                "Write request id : {id} does not contain Content-Type header or body."
            )));
        }
        subs.push(Sub {
            id,
            method,
            url,
            headers,
            body,
            depends_on,
        });
    }
    let mut index = HashMap::new();
    for (i, s) in subs.iter().enumerate() {
        if index.insert(s.id.clone(), i).is_some() {
            return Err(invalid(format!(
                "Request Id '{}' is duplicated in the batch.",
                s.id
            )));
        }
    }
    for s in &subs {
        for d in &s.depends_on {
            if !index.contains_key(d) {
                return Err(invalid(format!(
                    "Request '{}' depends on request '{d}', which is not in the batch.",
                    s.id
                )));
            }
        }
    }
    Ok(subs)
}

/// The order in which to run the requests: array order, except that a request runs after
/// the requests it depends on. `Err` on a cycle.
fn order(subs: &[Sub]) -> Result<Vec<usize>, GraphError> {
    let index: HashMap<&str, usize> = subs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut mark = vec![0u8; subs.len()];
    let mut out = Vec::with_capacity(subs.len());
    fn visit(
        i: usize,
        subs: &[Sub],
        index: &HashMap<&str, usize>,
        mark: &mut [u8],
        out: &mut Vec<usize>,
    ) -> Result<(), GraphError> {
        match mark[i] {
            2 => return Ok(()),
            1 => {
                return Err(GraphError::bad_request(format!(
                    "The dependsOn of request '{}' forms a cycle.",
                    subs[i].id
                )))
            }
            _ => {}
        }
        mark[i] = 1;
        for d in &subs[i].depends_on {
            visit(index[d.as_str()], subs, index, mark, out)?;
        }
        mark[i] = 2;
        out.push(i);
        Ok(())
    }
    for i in 0..subs.len() {
        visit(i, subs, &index, &mut mark, &mut out)?;
    }
    Ok(out)
}

fn sub_response(id: &str, reply: &Reply) -> Value {
    let mut headers = Map::new();
    for (n, v) in &reply.headers {
        headers.insert(n.clone(), Value::String(v.clone()));
    }
    let mut out = json!({"id": id, "status": reply.status});
    match &reply.body {
        Body::Json(b) => {
            let ct = if reply.is_success() {
                JSON_CONTENT_TYPE
            } else {
                "application/json"
            };
            headers.insert("Content-Type".into(), json!(ct));
            out["headers"] = Value::Object(headers);
            out["body"] = b.clone();
        }
        Body::None => out["headers"] = Value::Object(headers),
    }
    out
}

/// Handles a `$batch` request whose own seq is `outer_seq`.
pub fn handle(
    sim: &Sim,
    req: &GraphRequest,
    outer_seq: u64,
    _principal: &Principal,
) -> GraphResult {
    let (version, _) = split_path(&req.path)?;
    let subs = parse(&req.body, sim.limits().max_batch)?;
    let run_order = order(&subs)?;
    let mut statuses: HashMap<String, u16> = HashMap::new();
    let mut responses: Vec<Option<Value>> = vec![None; subs.len()];
    for i in run_order {
        let s = &subs[i];
        let failed_dep = s
            .depends_on
            .iter()
            .find(|d| !statuses.get(*d).is_some_and(|st| (200..300).contains(st)));
        let (path_q, query) = match s.url.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (s.url.clone(), None),
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(a) = req.header("authorization") {
            headers.push(("authorization".into(), a.to_string()));
        }
        for (n, v) in &s.headers {
            if n != "authorization" {
                headers.push((n.clone(), v.clone()));
            }
        }
        let sub_req = GraphRequest {
            method: s.method.clone(),
            path: format!("/{}/{}", version.as_str(), path_q.trim_start_matches('/')),
            query,
            headers,
            body: s
                .body
                .as_ref()
                .map(|b| Bytes::from(serde_json::to_vec(b).unwrap_or_default()))
                .unwrap_or_default(),
            base_url: req.base_url.clone(),
        };
        let seq = sim.next_seq();
        let reply = if let Some(dep) = failed_dep {
            let err = GraphError::new(
                424,
                "FailedDependency",
                format!("The request depends on request '{dep}', which failed."),
            );
            sim.record_failed_dependency(&sub_req, seq, outer_seq, &s.id, &err)
        } else if s.url.starts_with("http://") || s.url.starts_with("https://") {
            let err = GraphError::bad_request(
                "The url of a batch request must be relative to the version, e.g. '/me/cloudPCs'.",
            );
            sim.record_failed_dependency(&sub_req, seq, outer_seq, &s.id, &err)
        } else {
            sim.process(&sub_req, seq, Some((outer_seq, s.id.clone())))
                .reply
        };
        statuses.insert(s.id.clone(), reply.status);
        responses[i] = Some(sub_response(&s.id, &reply));
    }
    let responses: Vec<Value> = responses.into_iter().flatten().collect();
    Ok(Reply::json(200, json!({"responses": responses})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_rules() {
        let ok = br#"{"requests":[{"id":"1","method":"GET","url":"/me/cloudPCs"},
            {"id":"2","method":"POST","url":"/x","headers":{"Content-Type":"application/json"},"body":{},"dependsOn":["1"]}]}"#;
        let subs = parse(ok, 20).unwrap();
        assert_eq!(subs.len(), 2);
        assert_eq!(order(&subs).unwrap(), vec![0, 1]);

        let dup = br#"{"requests":[{"id":"1","method":"GET","url":"/a"},{"id":"1","method":"GET","url":"/b"}]}"#;
        assert!(parse(dup, 20).unwrap_err().message.contains("duplicated"));

        let write = br#"{"requests":[{"id":"1","method":"POST","url":"/a"}]}"#;
        assert_eq!(
            parse(write, 20).unwrap_err().message,
            "Write request id : 1 does not contain Content-Type header or body."
        );

        let many: Vec<Value> = (0..21)
            .map(|i| json!({"id": i.to_string(), "method":"GET","url":"/a"}))
            .collect();
        let many = serde_json::to_vec(&json!({"requests": many})).unwrap();
        assert!(parse(&many, 20)
            .unwrap_err()
            .message
            .contains("maximum of 20"));

        let unknown_dep =
            br#"{"requests":[{"id":"1","method":"GET","url":"/a","dependsOn":["9"]}]}"#;
        assert!(parse(unknown_dep, 20).is_err());

        let cycle = br#"{"requests":[{"id":"1","method":"GET","url":"/a","dependsOn":["2"]},{"id":"2","method":"GET","url":"/a","dependsOn":["1"]}]}"#;
        assert!(order(&parse(cycle, 20).unwrap()).is_err());

        let reorder = br#"{"requests":[{"id":"a","method":"GET","url":"/a","dependsOn":["b"]},{"id":"b","method":"GET","url":"/b"}]}"#;
        assert_eq!(order(&parse(reorder, 20).unwrap()).unwrap(), vec![1, 0]);

        assert_eq!(parse(b"{", 20).unwrap_err().status, 400);
        assert_eq!(parse(b"{}", 20).unwrap_err().status, 400);
    }
}
