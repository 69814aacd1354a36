//! Scenarios: the what-if settings of a ranking — raw weights, method and the parameters that differ
//! from the defaults — as named, stored specs; their resolution from the command line's scenario
//! options; and what changes between two of them.
//!
//! A spec keeps only overrides, so a scenario saved without `as_of` keeps meaning "today".

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::factors::{MissingPolicy, ParamError, Params};
use crate::model::{Factor, FactorMap};
use crate::scoring::{self, Method, Weights};

/// A scenario as stored: raw weights (any scale), a method and parameter overrides (as text, in the
/// form `--param` takes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScenarioSpec {
    #[serde(deserialize_with = "factor_map::deserialize")]
    pub weights: FactorMap<f64>,
    pub method: Method,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// The scenario options every scoring command takes, typed: what the desktop app sends, and what the
/// command line's text becomes ([`ScenarioInput::from_cli`]). Each is checked once, by
/// [`ScenarioSpec::apply`], on top of the named base scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct ScenarioInput {
    /// A saved scenario or a preset name (`default` when none).
    pub scenario: Option<String>,
    /// Raw weights by factor key; factors left out keep the base scenario's weight. Keyed by text,
    /// not [`Factor`], so that a name the webview should never send is answered as a usage error
    /// naming it, like the command line's, rather than as an unreadable request.
    #[ts(as = "Option<BTreeMap<Factor, f64>>")]
    pub weights: BTreeMap<String, f64>,
    pub method: Option<Method>,
    /// `YYYY-MM-DD`; unset means today.
    pub as_of: Option<String>,
    /// ISO codes; unset keeps the base scenario's (or the default) list.
    pub concern: Option<Vec<String>>,
    pub missing: Option<MissingPolicy>,
    /// Any other parameter of the risk model by name, in its text form (`--param name=value`).
    #[ts(as = "Option<BTreeMap<String, String>>")]
    pub params: BTreeMap<String, String>,
    /// The countries of concern when neither this input, its params nor the saved scenario names any:
    /// the desktop's Settings. Never sent by the UI; the command line leaves it unset, so the spec's
    /// default holds.
    #[serde(skip)]
    #[ts(skip)]
    pub default_concern: Option<Vec<String>>,
}

/// The scenario options of the command line, as typed there (cli.md).
#[derive(Debug, Clone, Default)]
pub struct CliScenario<'a> {
    pub scenario: Option<&'a str>,
    /// `ownership=20,ties=15,…`
    pub weights: Option<&'a str>,
    pub method: Option<&'a str>,
    pub as_of: Option<&'a str>,
    /// `CN,RU,…`
    pub concern: Option<&'a str>,
    pub missing: Option<&'a str>,
    /// `name=value`, each.
    pub params: &'a [String],
}

impl ScenarioInput {
    /// Parses the command line's text, with the exit status cli.md gives each mistake: an unknown
    /// factor or a parameter not written `name=value` is a usage error, a bad value is bad input.
    /// Parameter values are checked by [`ScenarioSpec::apply`], like the app's.
    pub fn from_cli(cli: &CliScenario) -> Result<ScenarioInput> {
        let mut weights = BTreeMap::new();
        if let Some(list) = cli.weights {
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let (name, value) =
                    item.split_once('=').ok_or_else(|| Error::Invalid(format!("--weights: {item:?} is not factor=value")))?;
                let factor = Factor::parse(name.trim())
                    .ok_or_else(|| Error::Usage(format!("--weights: unknown factor {:?} (factors: {})", name.trim(), Factor::keys())))?;
                let weight: f64 =
                    crate::ingest::cells::decimal(value.trim()).map_err(|e| Error::Invalid(format!("--weights {name}: {e}")))?;
                if weight < 0.0 {
                    return Err(Error::Invalid(format!("--weights {name}: a weight cannot be negative ({weight})")));
                }
                weights.insert(factor.key().to_string(), weight);
            }
        }
        let method = cli
            .method
            .map(|method| {
                Method::parse(method)
                    .ok_or_else(|| Error::Invalid(format!("--method: {method:?} is not weighted_sum, weighted_product or topsis")))
            })
            .transpose()?;
        let missing = cli
            .missing
            .map(|word| {
                let mut params = probe();
                params.set("missing", word).map_err(param_error).map(|()| params.missing)
            })
            .transpose()?;
        let mut params = BTreeMap::new();
        for param in cli.params {
            let (name, value) = param.split_once('=').ok_or_else(|| Error::Usage(format!("--param: {param:?} is not name=value")))?;
            params.insert(name.trim().to_string(), value.trim().to_string());
        }
        Ok(ScenarioInput {
            scenario: cli.scenario.map(String::from),
            weights,
            method,
            as_of: cli.as_of.map(String::from),
            concern: cli.concern.map(|list| list.split(',').map(String::from).collect()),
            missing,
            params,
            default_concern: None,
        })
    }
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

/// Parameters to check an override against (any date will do).
fn probe() -> Params {
    Params::defaults(NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"))
}

impl ScenarioSpec {
    /// A spec holding a preset's weights, `weighted_sum` and no overrides.
    pub fn from_preset(name: &str) -> Option<ScenarioSpec> {
        scoring::preset(name).map(|weights| ScenarioSpec { weights, method: Method::WeightedSum, params: BTreeMap::new() })
    }

    /// Applies scenario options on top of this spec; every value is checked.
    pub fn apply(&mut self, input: &ScenarioInput) -> Result<()> {
        for (name, &weight) in &input.weights {
            let factor = Factor::parse(name)
                .ok_or_else(|| Error::Usage(format!("unknown factor {name:?} in the weights (factors: {})", Factor::keys())))?;
            if !(weight.is_finite() && weight >= 0.0) {
                return Err(Error::Invalid(format!("the weight of {factor} must be a number of at least 0 ({weight})")));
            }
            self.weights[factor] = weight;
        }
        if let Some(method) = input.method {
            self.method = method;
        }
        let mut overrides: Vec<(&str, String)> = Vec::new();
        if let Some(as_of) = &input.as_of {
            overrides.push(("as_of", as_of.clone()));
        }
        if let Some(concern) = &input.concern {
            overrides.push(("concern_countries", concern.join(",")));
        } else if let Some(concern) = input.default_concern.as_ref().filter(|_| !self.params.contains_key("concern_countries")) {
            overrides.push(("concern_countries", concern.join(",")));
        }
        if let Some(missing) = input.missing {
            overrides.push(("missing", missing.as_str().to_string()));
        }
        overrides.extend(input.params.iter().map(|(name, value)| (name.as_str(), value.clone())));
        // Check each override now, so a bad one is reported as given.
        let mut probe = probe();
        for (name, value) in overrides {
            probe.set(name, &value).map_err(param_error)?;
            self.params.insert(name.to_string(), value);
        }
        Ok(())
    }

    /// Weights, method and parameters on `today`.
    pub fn resolve(&self, name: &str, today: NaiveDate) -> Result<Resolved> {
        let weights = Weights::normalised(self.weights.to_array())?;
        let mut params = Params::defaults(today);
        for (param, value) in &self.params {
            params.set(param, value).map_err(param_error)?;
        }
        Ok(Resolved { name: name.to_string(), spec: self.clone(), weights, method: self.method, params })
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

/// Reads stored weights `{"ownership": …, …}` leniently: a factor left out reads as 0, an unknown
/// name is an error (scenarios saved before every factor was written still load).
mod factor_map {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer};

    use crate::model::{Factor, FactorMap};

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<FactorMap<f64>, D::Error> {
        let map = std::collections::BTreeMap::<String, f64>::deserialize(deserializer)?;
        let mut weights = FactorMap::default();
        for (name, value) in map {
            let factor = Factor::parse(&name).ok_or_else(|| D::Error::custom(format!("unknown factor {name}")))?;
            weights[factor] = value;
        }
        Ok(weights)
    }
}
