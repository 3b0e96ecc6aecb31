//! The top bar's links to the console's pages; the current one is marked for screen readers.

use leptos::prelude::*;

use crate::route::Route;

#[component]
pub fn NavLinks(route: ReadSignal<Route>) -> impl IntoView {
    let link = move |label: &'static str, target: Route, testid: &'static str| {
        let href = target.href();
        let current = move || {
            let now = route.get();
            let same = std::mem::discriminant(&now) == std::mem::discriminant(&target)
                || (matches!(target, Route::Inventory { .. })
                    && matches!(now, Route::Device { .. }));
            same.then_some("page")
        };
        view! { <a href=href data-testid=testid aria-current=current>{label}</a> }
    };
    view! {
        <nav class="nav-links" aria-label="Pages">
            {link("Cloud PCs", Route::Inventory { query: String::new() }, "nav-cloudpcs")}
            {link("Bulk actions", Route::BulkActions, "nav-bulk-actions")}
            {link("Activity", Route::Activity, "nav-activity")}
        </nav>
    }
}
