//! Scenarios: the what-if settings of a ranking — raw weights, method and the parameters that differ
//! from the defaults — as named, stored specs; their resolution from the command line's scenario
//! options; and what changes between two of them.
//!
//! A spec keeps only overrides, so a scenario saved without `as_of` keeps meaning "today".

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::factors::{ParamError, Params};
use crate::model::FACTORS;
use crate::scoring::{self, Method, Weights};

/// A scenario as stored: raw weights (any scale), a method and parameter overrides (as text, in the
/// form `--param` takes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScenarioSpec {
    #[serde(with = "factor_map")]
    #[ts(as = "crate::bindings::FactorValuesShape")]
    pub weights: [f64; 8],
    #[ts(as = "crate::scoring::Method")]
    pub method: String,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// The scenario options every scoring command takes (cli.md), as given.
#[derive(Debug, Clone, Default)]
pub struct ScenarioOptions {
    /// A saved scenario or a preset name.
    pub scenario: Option<String>,
    /// `ownership=20,ties=15,…`: named factors replace the base weight, the rest keep theirs.
    pub weights: Option<String>,
    pub method: Option<String>,
    pub as_of: Option<String>,
    /// `CN,RU,…`
    pub concern: Option<String>,
    pub missing: Option<String>,
    /// `name=value`, each.
    pub params: Vec<String>,
    /// `CN,RU,…`: the countries of concern when neither `concern`, `params` nor the saved scenario
    /// names any (the desktop's Settings; the command line leaves it unset, so the spec's default holds).
    pub default_concern: Option<String>,
}

/// A scenario ready to score with.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The saved scenario or preset it started from (`default` when none was named).
    pub name: String,
    pub spec: ScenarioSpec,
    pub weights: Weights,
    pub method: Method,
    pub params: Params,
}

impl Default for ScenarioSpec {
    fn default() -> Self {
        ScenarioSpec::from_preset("default").expect("the default preset exists")
    }
}

impl ScenarioSpec {
    /// A spec holding a preset's weights, `weighted_sum` and no overrides.
    pub fn from_preset(name: &str) -> Option<ScenarioSpec> {
        scoring::preset(name).map(|weights| ScenarioSpec { weights, method: Method::WeightedSum.as_str().into(), params: BTreeMap::new() })
    }

    /// Applies command-line options on top of this spec; every value is checked.
    pub fn apply(&mut self, options: &ScenarioOptions) -> Result<()> {
        if let Some(list) = &options.weights {
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let (name, value) =
                    item.split_once('=').ok_or_else(|| Error::Invalid(format!("--weights: {item:?} is not factor=value")))?;
                let index = FACTORS.iter().position(|f| *f == name.trim()).ok_or_else(|| {
                    Error::Usage(format!("--weights: unknown factor {:?} (factors: {})", name.trim(), FACTORS.join(", ")))
                })?;
                let weight: f64 =
                    crate::ingest::cells::decimal(value.trim()).map_err(|e| Error::Invalid(format!("--weights {name}: {e}")))?;
                if weight < 0.0 {
                    return Err(Error::Invalid(format!("--weights {name}: a weight cannot be negative ({weight})")));
                }
                self.weights[index] = weight;
            }
        }
        if let Some(method) = &options.method {
            let parsed = Method::parse(method)
                .ok_or_else(|| Error::Invalid(format!("--method: {method:?} is not weighted_sum, weighted_product or topsis")))?;
            self.method = parsed.as_str().into();
        }
        let mut overrides: Vec<(String, String)> = Vec::new();
        if let Some(as_of) = &options.as_of {
            overrides.push(("as_of".into(), as_of.clone()));
        }
        if let Some(concern) = &options.concern {
            overrides.push(("concern_countries".into(), concern.clone()));
        } else if let Some(concern) = options.default_concern.as_ref().filter(|_| !self.params.contains_key("concern_countries")) {
            overrides.push(("concern_countries".into(), concern.clone()));
        }
        if let Some(missing) = &options.missing {
            overrides.push(("missing".into(), missing.clone()));
        }
        for param in &options.params {
            let (name, value) = param.split_once('=').ok_or_else(|| Error::Usage(format!("--param: {param:?} is not name=value")))?;
            overrides.push((name.trim().to_string(), value.trim().to_string()));
        }
        // Check each override now, so a bad one is reported as given.
        let mut probe = Params::defaults(NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"));
        for (name, value) in &overrides {
            probe.set(name, value).map_err(param_error)?;
            self.params.insert(name.clone(), value.clone());
        }
        Ok(())
    }

    /// Weights, method and parameters on `today`.
    pub fn resolve(&self, name: &str, today: NaiveDate) -> Result<Resolved> {
        let weights = Weights::normalised(self.weights).map_err(|e| Error::Invalid(e.to_string()))?;
        let method = Method::parse(&self.method).ok_or_else(|| Error::Invalid(format!("unknown method {:?}", self.method)))?;
        let mut params = Params::defaults(today);
        for (param, value) in &self.params {
            params.set(param, value).map_err(param_error)?;
        }
        Ok(Resolved { name: name.to_string(), spec: self.clone(), weights, method, params })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a spec serialises")
    }

    pub fn from_json(text: &str) -> Result<ScenarioSpec> {
        serde_json::from_str(text).map_err(|e| Error::Invalid(format!("a stored scenario is unreadable: {e}")))
    }
}

fn param_error(error: ParamError) -> Error {
    match error {
        ParamError::UnknownName(_) => Error::Usage(error.to_string()),
        ParamError::BadValue { .. } => Error::Invalid(error.to_string()),
    }
}

/// Serialises `[f64; 8]` as `{"ownership": …, …}` in factor order, and reads it back (a factor left
/// out reads as 0).
mod factor_map {
    use serde::de::Error as _;
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::FACTORS;

    pub fn serialize<S: Serializer>(weights: &[f64; 8], serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(8))?;
        for (name, value) in FACTORS.iter().zip(weights) {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[f64; 8], D::Error> {
        let map = std::collections::BTreeMap::<String, f64>::deserialize(deserializer)?;
        let mut weights = [0.0; 8];
        for (name, value) in map {
            let index = FACTORS.iter().position(|f| *f == name).ok_or_else(|| D::Error::custom(format!("unknown factor {name}")))?;
            weights[index] = value;
        }
        Ok(weights)
    }
}

/// The scenario options as structured data, the way the desktop app sends them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct ScenarioInput {
    pub scenario: Option<String>,
    /// Raw weights by factor name; factors left out keep the base scenario's weight.
    #[ts(as = "Option<BTreeMap<crate::bindings::FactorName, f64>>")]
    pub weights: BTreeMap<String, f64>,
    #[ts(as = "Option<crate::scoring::Method>")]
    pub method: Option<String>,
    pub as_of: Option<String>,
    pub concern: Option<Vec<String>>,
    #[ts(as = "Option<crate::factors::MissingPolicy>")]
    pub missing: Option<String>,
    #[ts(as = "Option<BTreeMap<String, String>>")]
    pub params: BTreeMap<String, String>,
}

impl From<&ScenarioInput> for ScenarioOptions {
    /// The same options the command line would give, so both go through one validation.
    fn from(input: &ScenarioInput) -> Self {
        ScenarioOptions {
            scenario: input.scenario.clone(),
            weights: (!input.weights.is_empty())
                .then(|| input.weights.iter().map(|(f, w)| format!("{f}={w}")).collect::<Vec<_>>().join(",")),
            method: input.method.clone(),
            as_of: input.as_of.clone(),
            concern: input.concern.as_ref().map(|c| c.join(",")),
            missing: input.missing.clone(),
            params: input.params.iter().map(|(n, v)| format!("{n}={v}")).collect(),
            default_concern: None,
        }
    }
}
