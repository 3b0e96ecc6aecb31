//! Shown when config.json is missing or wrong: each problem with the field, what is wrong and
//! what to put there; then a form that writes a correct one.

use leptos::prelude::*;

use crate::config::ConfigProblem;
use crate::ui::setup_form::SetupForm;

#[component]
pub fn SetupPage(problems: Vec<ConfigProblem>) -> impl IntoView {
    view! {
        <main>
            <div class="page-header"><h1>"Set up the Cloud PC console"</h1></div>
            <div class="card" role="alert">
                <h2>"config.json needs attention"</h2>
                <p>"The console reads its settings from config.json next to index.html. Fix the following and reload:"</p>
                <ul class="setup-problems">
                    {problems.into_iter().map(|p| view! {
                        <li data-field=p.field.clone()>
                            <code>{p.field.clone()}</code> " " {p.problem.clone()}
                            <span class="fix">{p.fix.clone()}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
            <SetupForm/>
        </main>
    }
}
