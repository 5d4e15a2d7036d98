"""A hand-built lexicon of ML interview concepts: how people say a thing without its textbook name.

The lexicon is the "words" half of key-point matching: every credit it gives is
explainable ("matched 'cannot capture the structure' as a paraphrase of underfitting"), but it
only knows the concepts written here. The "meaning" half (semantic.py, an embedding model)
recognises paraphrases of any key point in the bank; depth.py combines the two.

A concept is linked to a key point when one of the concept's `terms` occurs in the key
point's cues or label. The key point then also accepts the concept's `paraphrases`.

Paraphrase syntax: groups joined by " + " must all occur, in any order, within a short
window of one sentence; inside a group "|" separates alternatives; an alternative is a
word or a phrase (matched as consecutive stems, stopwords inside it ignored), and a
trailing "*" makes it a prefix ("oversimplif*"). "#num" is any number, digits or words.
"""

from __future__ import annotations

CONCEPTS: dict[str, dict[str, list[str]]] = {
    # --- generalisation -------------------------------------------------------------
    "underfitting": {
        "terms": ["underfit", "high bias", "too simple", "oversimplified", "bias is error"],
        "paraphrases": [
            "rigid|inflexible|too simple|not flexible|not expressive|too constrained|straight line|oversimplif*|too few parameters|too weak + capture|miss|fit|follow|represent|learn + structure|pattern|relationship|curve|shape|signal|trend",
            "cannot|can't|unable|fails|doesn't|does not + capture|learn|represent|fit + structure|pattern|relationship|signal|trend|shape",
            "badly|poorly|bad|poor|high error|large error|struggles + even + examples it learned|training|train|seen|learned from|fitted on",
            "wrong|simplistic|too strong + assumption*",
        ],
    },
    "overfitting": {
        "terms": ["overfit", "high variance", "memorize", "sensitive to the training data", "fluctuates between training sets", "variance is"],
        "paraphrases": [
            "chase*|fit*|learn*|pick* up|latch* onto|model* + quirk*|noise|random|idiosyncras*|every detail|peculiar*|accident*",
            "different|another|new|other + sample|training set|dataset|draw|subset + different|very different|change*|swing*|vary|varies|unstable",
            "well|great|perfect*|high|good + training|train|seen|learned from + badly|poorly|bad|poor|worse|drop*|fails|low + new|unseen|held out|test|validation|fresh",
            "memori*|memoris*|remember*|rote + examples|data|training|noise|points",
            "too flexible|extremely flexible|very flexible|too complex|too many parameters + noise|quirk*|sample|generaliz*|fails",
        ],
    },
    "bias_variance_tradeoff": {
        "terms": ["trade-off", "tradeoff", "bias squared", "irreducible error", "sweet spot", "u-shaped", "total error"],
        "paraphrases": [
            "complex*|flexib*|capacity|parameters + bias|underfit* + variance|overfit*",
            "middle|balance|best point|optimum|optimal|right amount|minimum + complex*|flexib*|capacity",
            "error + decompos*|splits into|sum of|made of|adds up",
        ],
    },
    "generalization_gap": {
        "terms": ["learning curve", "validation error", "training error", "gap between training and validation", "held out", "holdout", "validation set"],
        "paraphrases": [
            "train*|examples it learned|learned from|fitted on|seen + held out|unseen|new data|validation|test|fresh + compare*|gap|difference|versus|vs|against|both",
            "score|error|accuracy|performance|loss + examples it learned|learned from + held out|unseen|new",
            "plot*|curve*|chart + error|loss|score + training set size|more data|data size|number of examples|epochs",
        ],
    },
    "regularization": {
        "terms": ["regularization", "regularize", "weight decay", "penalty", "penalize large weights"],
        "paraphrases": [
            "penal*|charge*|punish*|price + weight*|coefficient*|parameter*|magnitude|size|complexity",
            "add*|extra|term + loss|objective|cost function + weight*|coefficient*|magnitude|size",
            "keep*|stay*|force*|push* + weight*|coefficient*|parameter* + small|low|near zero|toward zero",
        ],
    },
    "more_data": {
        "terms": ["more data", "data augmentation", "augment", "collect more"],
        "paraphrases": [
            "collect*|gather*|get|label*|add|acquir* + more|additional|extra + data|examples|samples|rows|labels",
        ],
    },
    "ensembling": {
        "terms": ["bagging", "ensemble", "random forest", "averaging models"],
        "paraphrases": ["average|averaging|combine|combining|vote|voting + many|several|multiple + models|trees|predictions"],
    },
    "early_stopping_dropout": {
        "terms": ["early stopping", "dropout"],
        "paraphrases": [
            "stop* + training|train + before|when|once + validation|held out|get* worse|start* to rise|stops improving",
            "randomly|random + drop*|switch* off|turn* off|zero* + neurons|units|activations",
        ],
    },
    "complexity_control": {
        "terms": ["reduce complexity", "add features", "simpler model", "richer model"],
        "paraphrases": [
            "simpler|smaller|shallower|fewer parameters|fewer features|prune* + model|tree|network",
            "richer|bigger|deeper|more features|more flexible|more capacity + model|tree|network",
        ],
    },
    # --- imbalance and metrics ----------------------------------------------------
    "precision_recall": {
        "terms": ["precision", "recall", "f1", "pr auc", "precision-recall curve", "accuracy is misleading", "accuracy misleads"],
        "paraphrases": [
            "flag*|predict*|call*|label*|mark* + how many|share|fraction|proportion|percent* + truly|really|actually|true|correct*",
            "truly|really|actually|real|true + positive*|fraud*|cases + how many|share|fraction|proportion + find*|catch*|caught|detect*|miss*",
            "accuracy|how often|right|correct + misleading|useless|tells you nothing|meaningless|nothing|deceptive|fool*",
            "always|every time|everything + no|negative|majority + right|correct|accurate|#num",
        ],
    },
    "resampling": {
        "terms": ["oversample", "undersample", "smote", "resampling", "resample", "oversampling", "undersampling"],
        "paraphrases": [
            "duplicat*|repeat*|copy|copies|synthes*|generat*|upweight* + rare|minority|positive*|fraud* + example*|case*|row*|sample*",
            "drop|remove|discard|throw away|subsample|sample down + some|part|fraction|most + common|majority|negative*",
            "balance*|rebalance* + training|classes|data|dataset",
            "more positives|more examples of the rare|more rare examples",
        ],
    },
    "class_weights": {
        "terms": ["class weights", "weighted loss", "cost-sensitive", "penalize mistakes on the minority", "cost sensitive"],
        "paraphrases": [
            "mistake*|error*|miss*|misclassif* + minority|rare|positive* + cost|count|weigh*|penal*|matter + more|higher|heavier|extra",
            "weight*|scale* + loss|gradient|error* + class|minority|rare|positive*",
        ],
    },
    "decision_threshold": {
        "terms": ["decision threshold", "threshold", "cutoff", "operating point", "cut-off"],
        "paraphrases": [
            "move|choose|pick|set|shift|adjust|lower|raise|tune + score|probability|point|line|bar|level + flag|call|classify|alarm|positive|predict*",
            "above|over|higher than + one half|half|#num + flag*|call*|classif*|predict*|positive",
            "missed|misses|false negative* + false alarm*|false positive*|wrongly flagged",
        ],
    },
    "stratification": {
        "terms": ["stratified", "stratify", "same class ratio"],
        "paraphrases": [
            "split*|fold*|each fold|every fold|partition* + same|keep*|preserve*|equal + ratio|proportion|share|balance|mix|percent*",
        ],
    },
    # --- regularisation norms -----------------------------------------------------------
    "l1_sparsity": {
        "terms": ["lasso", "sparse", "sparsity", "exactly zero", "feature selection", "absolute value"],
        "paraphrases": [
            "switch* off|turn* off|zero out|zeroes|zeros out|eliminat*|drop*|remov*|exactly zero|to zero|at zero + input*|feature*|coefficient*|weight*|variable*",
            "only|just + few|handful|small number|couple + input*|feature*|coefficient*|weight*|variable* + use|in use|left|remain|survive|matter|nonzero",
            "plain|raw|unsigned + magnitude|size",
        ],
    },
    "l2_shrinkage": {
        "terms": ["ridge", "squared", "shrink", "shrinks", "correlated features", "multicollinearity"],
        "paraphrases": [
            "magnitude|size|value|weight*|coefficient* + times itself|squared|square|second power",
            "pull*|push*|shrink*|nudge*|draw* + every|all|each + coefficient*|weight*|parameter* + toward|towards|smaller|origin|zero|little",
            "input*|feature*|variable*|column* + same information|nearly the same|redundant|overlap*|move together|collinear|similar information",
        ],
    },
    "hyperparameter_tuning": {
        "terms": ["lambda", "regularization strength", "elastic net", "cross-validation", "grid search", "tune", "hyperparameter"],
        "paraphrases": [
            "try|trying|sweep*|search* + several|different|range|grid + value*|strength*|setting* + validation|held out|fold*",
            "strength|how strong|how much + penalty|regulariz* + choose|chose|pick|select|tune + validation|held out|fold*",
            "mix*|combin*|blend* + both|two + penalt*|norm*",
        ],
    },
    # --- system design ---------------------------------------------------------------
    "latency_throughput": {
        "terms": ["latency", "milliseconds", "transactions per second", "throughput", "requirements", "qps", "requests per second"],
        "paraphrases": [
            "how fast|how quickly|time|respond*|answer|come back + decision|request|payment|transaction|prediction|score|reply",
            "how many|number of|volume + per second|a second|each second|per day|at peak",
            "pin down|clarify|ask|establish|agree on + how fast|how many|constraints|budget|scale",
        ],
    },
    "realtime_features": {
        "terms": ["feature store", "velocity", "real-time features", "streaming features", "aggregates", "rolling counts"],
        "paraphrases": [
            "count*|number of|how many|sum|average + transaction*|payments|purchases|logins|events + last|past|recent + hour|minute*|day|week",
            "keep|store|maintain|update*|precompute* + features|counts|aggregates + fresh|up to date|low latency|real time|online",
        ],
    },
    "boosted_trees": {
        "terms": ["gradient boosting", "xgboost", "lightgbm", "tabular", "boosted trees", "rules engine", "class imbalance"],
        "paraphrases": [
            "trees|tree model*|tree ensemble + table*|tabular|structured|column*",
            "hand written|handwritten|manual|expert + rules + known|pattern*|fraud",
        ],
    },
    "serving_fallback": {
        "terms": ["scoring service", "fallback", "api", "shadow mode", "online inference", "fall back", "model server"],
        "paraphrases": [
            "if|when + model + slow|down|times out|timeout|fails|unavailable + rules|default|previous|backup|degrade*",
            "service|endpoint|server + call*|score*|request* + model|transaction|payment",
            "run|deploy|launch + silently|alongside|in parallel|shadow + before|without",
        ],
    },
    "monitoring_retraining": {
        "terms": ["monitoring", "drift", "chargeback", "retrain", "retraining", "delayed labels", "monitor"],
        "paraphrases": [
            "watch*|track*|check*|alert* + input*|feature*|score*|distribution*|prediction* + change*|shift*|look different|differ*|move*",
            "only|weeks|later|delay* + learn|know|find out|confirm*|arrive* + fraud*|label*|outcome*|truth",
            "refresh*|update*|rebuild*|retrain*|re train* + model + schedule|regular*|every|weekly|monthly|once|new data|confirmed",
        ],
    },
    # --- behavioural and project ----------------------------------------------------------
    "situation": {
        "terms": ["we had", "my team", "i was responsible", "my role", "at my last job"],
        "paraphrases": [
            "at|in + my|our + previous|last|former|current + job|company|role|team|employer|position",
            "i was|i am|i'm + in charge|owner|owning|responsible|lead*|leading",
        ],
    },
    "root_cause": {
        "terms": ["root cause", "investigated", "dug into", "debugged", "found that", "diagnos*"],
        "paraphrases": [
            "trac*|compar*|went through|dug|inspect*|audit* + input*|source*|log*|values|feed*|week*",
            "that|which|this + showed|revealed|turned out|pointed to|explained",
        ],
    },
    "action_taken": {
        "terms": ["i fixed", "i changed", "i added", "i rolled back", "i rebuilt"],
        "paraphrases": [
            "i rolled back|i reverted|i fixed|i added|i changed|i rebuilt|i rewrote|i introduced|i set up|i wrote|i built|i retrained|i replaced|i moved|i switched",
        ],
    },
    "measured_result": {
        "terms": ["as a result", "percent", "reduced", "improved", "recovered", "results", "accuracy"],
        "paraphrases": [
            "#num + out of + #num",
            "from|up from|down from + #num + to|#num",
            "#num + percent|per cent|points|%|times|hours|days|x",
            "went back to|went down to|went up to|dropped to|rose to|fell to|improved to|reduced to|cut to|came down to|recovered to|cut in half|halved|doubled + #num|normal|baseline|previous|before",
        ],
    },
    "lesson": {
        "terms": ["i learned", "lesson", "next time", "now i always", "in hindsight", "takeaway", "learned"],
        "paraphrases": [
            "stayed with me|stuck with me|taught me|realized|realised|takeaway|take away|changed how i",
            "these days|now|since then|ever since|from then on + i|every|always + check*|build*|add*|make sure|insist|start*|do",
            "would|will + do differently|next time|again",
        ],
    },
    "problem_statement": {
        "terms": ["the problem", "the goal", "we wanted to", "needed to", "pain point"],
        "paraphrases": [
            "pil* up|backlog|bottleneck|by hand|manual*|error prone + day*|hour*|week*|person|people|team|staff|read*|review*",
            "because|since + person|people|someone|team + had to|must|needed to|read*|check*|review*",
        ],
    },
    "data_description": {
        "terms": ["dataset", "labeled", "labelled", "cleaned", "data"],
        "paraphrases": [
            "#num + thousand|million|hundred + tickets|examples|rows|records|images|documents|messages|samples|users",
            "clean*|dedup*|remov* duplicates|annotat*|label* + data|examples|tickets|records|rows",
        ],
    },
    "modeling_approach": {
        "terms": ["baseline", "fine-tuned", "architecture", "approach", "fine tune", "fine-tune"],
        "paraphrases": [
            "start*|began|first + simple|baseline|logistic|linear|heuristic|rules + then|later|after|moved|tried",
            "chose|picked|used|trained + because|since|so that",
        ],
    },
    "business_impact": {
        "terms": ["impact", "saved", "revenue", "users", "business"],
        "paraphrases": [
            "saved|saving|cut|reduced|freed|dropped + hours|days|money|cost|dollars|time|backlog|workload",
            "customers|users|team|agents|business + got|gained|benefit*|faster|happier|no longer",
        ],
    },
    # --- case study ---------------------------------------------------------------
    "churn_definition": {
        "terms": ["define churn", "prediction window", "within thirty days", "cancel", "churn definition"],
        "paraphrases": [
            "user|customer|subscriber|someone + cancel*|leave*|stop* paying|not renew|does not renew|lapse* + within|in|during|next|after + day*|month*|week*|period|window",
            "predict* + next|coming|following + day*|month*|week*|period|window",
        ],
    },
    "behavioral_features": {
        "terms": ["usage", "engagement", "support tickets", "payment failures", "usage trends"],
        "paraphrases": [
            "logins|sessions|visits|time in the app|minutes|activity|opens + per|each|week|day|falling|dropping|declin*|trend",
            "complaint*|support ticket*|failed payment*|billing issue*|payment failure* + count|number|recent|rising|more|frequency|per|last|many",
        ],
    },
    "ranking_evaluation": {
        "terms": ["auc", "precision at", "calibration", "calibrated", "roc"],
        "paraphrases": [
            "rank*|order*|sort* + users|customers|risk|score* + top|how well|correctly",
            "probabilit*|score* + match|mean|trust|reliable|honest + actual|real|observed",
        ],
    },
    "uplift_targeting": {
        "terms": ["uplift", "intervention", "retention offer", "persuadable", "treatment effect"],
        "paraphrases": [
            "most likely|riskiest|highest risk|at risk + not|aren't|isn't|wrong|waste* + contact*|target*|worth|offer*|call*",
            "offer*|discount*|intervention*|campaign*|contact* + change|sway|persuad*|influence|affect + decision*|mind|behavio*",
            "go anyway|leave anyway|stay anyway|stayed anyway|whatever we do|regardless",
        ],
    },
    "controlled_experiment": {
        "terms": ["a/b test", "ab test", "experiment", "control group", "randomized", "holdout group"],
        "paraphrases": [
            "hold back|holdout|hold out|keep aside|leave out|exclude + random*|group|slice|some|part + user*|customer*|eligible",
            "random*|by chance + split*|assign*|slice|group|half + compare*|versus|difference",
            "compare* + group|those who|users who|customers who + got|received|without|no offer|nothing",
        ],
    },
}

# Words any ML answer uses whatever the question: alone, they are weak evidence.
GENERIC = frozenset(
    """data model models result results approach improve improved improvement percent user users feature features
    label labels target targets problem goal impact api tune error errors learn learned learning accuracy usage
    experiment reduced reduce saved requirements requirement noise training train test value values system
    performance metric metrics score scores time cost business team dataset cleaned""".split()
)

# Common technical terms: used to tell a sentence that names things from one that explains them,
# and as the vocabulary of "jargon" a non-expert listener would need unpacked.
JARGON = frozenset(
    """bias variance overfitting underfitting overfit underfit regularization regularisation lasso ridge l1 l2
    dropout bagging boosting ensemble ensembles xgboost lightgbm catboost smote auc roc pr f1 precision recall
    sparsity sparse multicollinearity elastic net lambda alpha cross-validation hyperparameter hyperparameters
    gradient descent backprop backpropagation softmax logits logit relu sigmoid embedding embeddings transformer
    transformers attention bert distilbert llm tf idf tfidf pca svd kmeans k-means knn svm cnn rnn lstm gan vae
    kl divergence entropy cross-entropy logloss rmse mae mse mape ndcg mrr drift retraining chargeback kafka spark
    feature store velocity uplift ltv cohort a/b calibration stratified stratification oversampling undersampling
    resampling tabular pipeline inference latency throughput qps sharding quantization distillation fine-tuning
    finetuning fine-tuned nlp imagenet batchnorm normalization convolution""".split()
)

NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety""".split()
)
# words that make a number concrete when they follow one ("two thousand", "five percent")
SCALE_WORDS = frozenset("hundred thousand million billion percent half quarter twice double triple".split())
