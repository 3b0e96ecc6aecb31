//! Offers text as a file download, built in the page: nothing leaves the browser.

use wasm_bindgen::JsCast;

pub fn offer_file(text: String, file_name: &str, mime: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(a) = document.create_element("a") {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
