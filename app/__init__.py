"""Streamlit surface: the shop owners' and operator's dashboard (`streamlit run app/main.py`)."""
