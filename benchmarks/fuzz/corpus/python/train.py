"""Train the churn model. Run: python train.py"""

import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from churn.features import build_features

df = pd.read_csv("/home/anna/projects/churn/data/customers.csv")
df = build_features(df)

X = df.drop(columns=["churned", "customer_id"])
y = df["churned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

model = RandomForestClassifier(n_estimators=300, max_depth=8, min_samples_leaf=5, random_state=42)
model.fit(X_train, y_train)

proba = model.predict_proba(X_test)[:, 1]
print(f"AUC: {roc_auc_score(y_test, proba):.3f}")
at_risk = X_test[proba > 0.35]
at_risk.to_csv("data/at_risk_customers.csv", index=False)

joblib.dump(model, "models/churn_rf.pkl")
