//! A provider answer before it becomes an HTTP response. Provider handlers are plain
//! synchronous functions over the state that return a `Reply`; the engine adds CORS and
//! turns it into a [`Response`] the host writes out.

use serde_json::Value;

use crate::engine::Response;

pub(crate) const JSON: &str = "application/json";
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";
pub(crate) const HTML: &str = "text/html; charset=utf-8";
pub(crate) const TEXT: &str = "text/plain; charset=utf-8";

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        Reply::raw(status, Some(JSON), value.to_string().into_bytes())
    }

    pub(crate) fn problem(status: u16, value: &Value) -> Reply {
        Reply::raw(status, Some(PROBLEM_JSON), value.to_string().into_bytes())
    }

    pub(crate) fn empty(status: u16) -> Reply {
        Reply::raw(status, None, Vec::new())
    }

    pub(crate) fn raw(status: u16, content_type: Option<&'static str>, body: Vec<u8>) -> Reply {
        Reply { status, content_type, headers: Vec::new(), body }
    }

    /// An nginx-style HTML error page, what a proxy in front of an API really sends.
    pub(crate) fn html_page(status: u16, reason: &str) -> Reply {
        let body = format!(
            "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n\
             <center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
             </body>\r\n</html>\r\n"
        );
        Reply::raw(status, Some(HTML), body.into_bytes())
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The response a host writes out: content type, extra headers and CORS.
    pub(crate) fn into_response(self) -> Response {
        let mut headers = Vec::with_capacity(self.headers.len() + 3);
        if let Some(ct) = self.content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        headers.extend(self.headers.into_iter().map(|(name, value)| (name.to_owned(), value)));
        headers.push(("access-control-allow-origin".to_owned(), "*".to_owned()));
        headers.push(("access-control-expose-headers".to_owned(), "retry-after".to_owned()));
        Response { status: self.status, headers, body: self.body }
    }
}
